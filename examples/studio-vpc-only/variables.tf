variable "region" {
  type        = string
  description = "AWS region of the stack"
}

variable "team" {
  type    = string
  default = "research"
}

variable "vpc_cidr" {
  type    = string
  default = "10.40.0.0/16"
}

variable "users" {
  type    = list(string)
  default = ["alice", "bob"]
}
