data "aws_partition" "current" {}

data "aws_iam_policy_document" "studio_trust" {
  statement {
    sid     = "SageMakerAssume"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "studio" {
  name               = "${local.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.studio_trust.json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "studio_full_access" {
  role       = aws_iam_role.studio.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonSageMakerFullAccess"
}

resource "aws_iam_role_policy" "studio_data" {
  name = "training-data"
  role = aws_iam_role.studio.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:ListBucket"]
      Resource = ["arn:${data.aws_partition.current.partition}:s3:::${var.team}-training-data", "arn:${data.aws_partition.current.partition}:s3:::${var.team}-training-data/*"]
    }]
  })
}
