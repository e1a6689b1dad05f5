//! x509-limbo harness (being written).
