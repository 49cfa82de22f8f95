//! The one place where engine errors become gRPC statuses, by the engine's SQLSTATE classification.

use hangar_engine::Error;
use tonic::{Code, Status};

/// The gRPC code for a SQLSTATE.
pub fn code_for_sqlstate(sqlstate: &str) -> Code {
    match sqlstate {
        "42P01" | "3F000" | "42704" | "42883" | "3D000" => Code::NotFound,
        "42501" => Code::PermissionDenied,
        "28P01" | "28000" => Code::Unauthenticated,
        "42P06" | "42P07" => Code::AlreadyExists,
        "57014" => Code::Cancelled,
        "40001" => Code::Aborted,
        "0A000" => Code::Unimplemented,
        s if s.starts_with("53") => Code::ResourceExhausted,
        s if s.starts_with("42") || s.starts_with("22") || s.starts_with("2B") => {
            Code::InvalidArgument
        }
        s if s.starts_with("58") => Code::Unavailable,
        _ => Code::Internal,
    }
}

/// The gRPC status for an engine error; the message keeps the SQLSTATE for clients that want it.
pub fn status(error: &Error) -> Status {
    let sqlstate = error.sqlstate();
    Status::new(
        code_for_sqlstate(sqlstate),
        format!("{} (SQLSTATE {sqlstate})", error.message()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlstates_map_to_grpc_codes() {
        let cases = [
            ("42601", Code::InvalidArgument),
            ("42703", Code::InvalidArgument),
            ("22012", Code::InvalidArgument),
            ("42P01", Code::NotFound),
            ("3F000", Code::NotFound),
            ("42501", Code::PermissionDenied),
            ("28P01", Code::Unauthenticated),
            ("28000", Code::Unauthenticated),
            ("42P07", Code::AlreadyExists),
            ("57014", Code::Cancelled),
            ("53200", Code::ResourceExhausted),
            ("0A000", Code::Unimplemented),
            ("40001", Code::Aborted),
            ("XX000", Code::Internal),
        ];
        for (sqlstate, code) in cases {
            assert_eq!(code_for_sqlstate(sqlstate), code, "{sqlstate}");
        }
    }
}
