//! The server's side of a SCRAM-SHA-256 exchange (RFC 5802, RFC 7677) as Postgres runs it, over a
//! role's stored verifier: the client proves that it knows the password without sending it, and
//! the server proves that it knows the verifier. Postgres ignores the user name inside the SCRAM
//! messages (the startup message names the user), and so does this. Channel binding
//! (`SCRAM-SHA-256-PLUS`) is not offered.

use base64::Engine as _;
use base64::prelude::BASE64_STANDARD;
use hangar_engine::ScramVerifier;

/// The longest SCRAM message accepted; real ones are about a hundred bytes.
const MAX_MESSAGE: usize = 4096;

/// Why a SCRAM message was refused: the client broke the protocol.
#[derive(Debug, thiserror::Error)]
#[error("malformed SCRAM message: {0}")]
pub(crate) struct Malformed(&'static str);

/// The exchange after the server's first message, waiting for the client's proof.
#[derive(Debug)]
pub(crate) struct AwaitingProof {
    gs2_header: String,
    client_first_bare: String,
    server_first: String,
    nonce: String,
}

/// Reads the client's first message and answers with the server's: the combined nonce, the
/// verifier's salt and iteration count.
pub(crate) fn client_first(
    message: &[u8],
    verifier: &ScramVerifier,
) -> Result<(AwaitingProof, String), Malformed> {
    let text = text(message)?;
    // gs2-header: a channel-binding flag, an optional authzid, then the bare message.
    let (flag, rest) = text.split_once(',').ok_or(Malformed("no GS2 header"))?;
    match flag {
        "n" | "y" => {}
        f if f.starts_with("p=") => return Err(Malformed("channel binding was not offered")),
        _ => return Err(Malformed("unknown channel-binding flag")),
    }
    let (authzid, bare) = rest.split_once(',').ok_or(Malformed("no GS2 header"))?;
    if !authzid.is_empty() {
        return Err(Malformed("authorization identities are not supported"));
    }
    let mut attributes = bare.split(',');
    let user = attributes.next().ok_or(Malformed("no user name"))?;
    if !user.starts_with("n=") {
        return Err(Malformed("expected n=user"));
    }
    let client_nonce = attributes
        .next()
        .and_then(|a| a.strip_prefix("r="))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| (0x21..=0x7e).contains(&b) && b != b','))
        .ok_or(Malformed("expected r=nonce"))?;
    let nonce = format!("{client_nonce}{}", random_nonce());
    let server_first = format!(
        "r={nonce},s={},i={}",
        BASE64_STANDARD.encode(&verifier.salt),
        verifier.iterations
    );
    let gs2_header = format!("{flag},{authzid},");
    Ok((
        AwaitingProof {
            gs2_header,
            client_first_bare: bare.to_string(),
            server_first: server_first.clone(),
            nonce,
        },
        server_first,
    ))
}

impl AwaitingProof {
    /// Reads the client's final message: whether its proof holds, and the server's final message
    /// to send when it does.
    pub(crate) fn client_final(
        self,
        message: &[u8],
        verifier: &ScramVerifier,
    ) -> Result<(bool, String), Malformed> {
        let text = text(message)?;
        let (without_proof, proof) = text.rsplit_once(",p=").ok_or(Malformed("no proof"))?;
        let mut attributes = without_proof.split(',');
        let binding = attributes
            .next()
            .and_then(|a| a.strip_prefix("c="))
            .ok_or(Malformed("expected c=channel-binding"))?;
        if binding != BASE64_STANDARD.encode(&self.gs2_header) {
            return Err(Malformed(
                "channel binding does not match the first message",
            ));
        }
        let nonce = attributes
            .next()
            .and_then(|a| a.strip_prefix("r="))
            .ok_or(Malformed("expected r=nonce"))?;
        if nonce != self.nonce {
            return Err(Malformed("nonce does not match"));
        }
        let proof = BASE64_STANDARD
            .decode(proof)
            .map_err(|_| Malformed("proof is not base64"))?;
        let auth_message = format!(
            "{},{},{without_proof}",
            self.client_first_bare, self.server_first
        );
        let proved = verifier.verify_proof(auth_message.as_bytes(), &proof);
        let signature = verifier.server_signature(auth_message.as_bytes());
        Ok((proved, format!("v={}", BASE64_STANDARD.encode(signature))))
    }
}

fn text(message: &[u8]) -> Result<&str, Malformed> {
    if message.len() > MAX_MESSAGE {
        return Err(Malformed("too long"));
    }
    std::str::from_utf8(message).map_err(|_| Malformed("not UTF-8"))
}

fn random_nonce() -> String {
    let mut bytes = [0u8; 18];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)
        .expect("the system's random source works");
    BASE64_STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hangar_engine::hmac_sha256;
    use ring::digest;

    /// What a client with `password` sends last, for the server's first message.
    fn client_final_for(password: &str, server_first: &str, client_first_bare: &str) -> String {
        let fields: Vec<&str> = server_first.split(',').collect();
        let nonce = &fields[0][2..];
        let salt = BASE64_STANDARD.decode(&fields[1][2..]).unwrap();
        let verifier = ScramVerifier::with_salt(password, salt.clone(), 4096);
        // The client derives the same keys from the password.
        let mut salted = [0u8; 32];
        ring::pbkdf2::derive(
            ring::pbkdf2::PBKDF2_HMAC_SHA256,
            std::num::NonZeroU32::new(4096).unwrap(),
            &salt,
            password.as_bytes(),
            &mut salted,
        );
        let client_key = hmac_sha256(&salted, b"Client Key");
        assert_eq!(
            digest::digest(&digest::SHA256, &client_key).as_ref(),
            verifier.stored_key
        );
        let without_proof = format!("c=biws,r={nonce}");
        let auth = format!("{client_first_bare},{server_first},{without_proof}");
        let signature = hmac_sha256(&verifier.stored_key, auth.as_bytes());
        let proof: Vec<u8> = client_key
            .iter()
            .zip(signature)
            .map(|(k, s)| k ^ s)
            .collect();
        format!("{without_proof},p={}", BASE64_STANDARD.encode(proof))
    }

    #[test]
    fn the_right_password_proves_and_a_wrong_one_does_not() {
        let verifier = ScramVerifier::new("s3cret");
        for (password, proves) in [("s3cret", true), ("S3cret", false)] {
            let bare = "n=,r=rOprNGfwEbeRWgbNEkqO";
            let (waiting, server_first) =
                client_first(format!("n,,{bare}").as_bytes(), &verifier).unwrap();
            assert!(server_first.starts_with("r=rOprNGfwEbeRWgbNEkqO"));
            let last = client_final_for(password, &server_first, bare);
            let (proved, server_final) = waiting.client_final(last.as_bytes(), &verifier).unwrap();
            assert_eq!(proved, proves);
            assert!(server_final.starts_with("v="));
        }
    }

    #[test]
    fn malformed_messages_are_refused() {
        let verifier = ScramVerifier::new("pw");
        for first in [
            &b""[..],
            b"n",
            b"x,,n=,r=abc",
            b"p=tls-server-end-point,,n=,r=abc",
            b"n,a=admin,n=,r=abc",
            b"n,,r=abc",
            b"n,,n=,r=",
            b"n,,n=,x=abc",
            b"n,,n=,r=\xff",
            &[b'n'; 5000],
        ] {
            assert!(client_first(first, &verifier).is_err(), "{first:?}");
        }
        let (waiting, _) = client_first(b"n,,n=,r=abc", &verifier).unwrap();
        assert!(
            waiting
                .client_final(b"c=biws,r=abc,p=AAAA", &verifier)
                .is_err(),
            "nonce"
        );
        for last in [&b"c=biws"[..], b"c=eSws,r=x,p=AA==", b"r=x,p=AA=="] {
            let (waiting, _) = client_first(b"n,,n=,r=abc", &verifier).unwrap();
            assert!(waiting.client_final(last, &verifier).is_err(), "{last:?}");
        }
    }
}
