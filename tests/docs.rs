//! Documents that are derived from code stay in step with it.

use sagelint::input::live::mapping;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The mapping tables as markdown, in `mapping::ALL` order.
fn render_mapping() -> String {
    let mut out = String::new();
    for (operation, rtype, table) in mapping::ALL {
        out.push_str(&format!(
            "\n### `{rtype}` ← {operation}\n\n| API field | attribute |\n|---|---|\n"
        ));
        for (api, attr) in table.iter() {
            out.push_str(&format!("| `{api}` | `{attr}` |\n"));
        }
    }
    out
}

/// Replace the text between the `BEGIN`/`END GENERATED <name>` markers.
fn splice(doc: &str, name: &str, body: &str) -> String {
    let begin = format!("<!-- BEGIN GENERATED {name} -->");
    let end = format!("<!-- END GENERATED {name} -->");
    let b = doc.find(&begin).unwrap_or_else(|| panic!("no {begin} marker")) + begin.len();
    let e = doc.find(&end).unwrap_or_else(|| panic!("no {end} marker"));
    assert!(b <= e, "markers out of order");
    format!("{}\n{}\n{}", &doc[..b], body.trim(), &doc[e..])
}

#[test]
fn live_mapping_doc_lists_every_table_entry() {
    let path = root().join("docs/live-mapping.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let want = splice(&doc, "mapping", &render_mapping());
    if std::env::var_os("SAGELINT_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    assert!(
        doc == want,
        "docs/live-mapping.md is stale: run `SAGELINT_BLESS=1 cargo test --test docs` and commit it"
    );
    // Spot checks that the rendering is what a reader needs.
    assert!(doc.contains("| `AppNetworkAccessType` | `app_network_access_type` |"));
    assert!(doc.contains("| `DefaultUserSettings.ExecutionRole` | `default_user_settings.execution_role` |"));
    assert!(doc.contains("| `PrivateDnsEnabled` | `private_dns_enabled` |"));
}

#[test]
fn every_mapped_type_is_documented_once() {
    let mut seen = std::collections::BTreeSet::new();
    for (_, rtype, table) in mapping::ALL {
        assert!(seen.insert(*rtype), "{rtype} listed twice in mapping::ALL");
        assert!(!table.is_empty(), "{rtype} has an empty table");
    }
    assert!(seen.contains("aws_sagemaker_domain") && seen.contains("aws_efs_mount_target"));
}
