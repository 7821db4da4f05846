//! Reporters: human, compact, json, sarif.
