//! Failed logins, counted per client address: after too many in a short time, further attempts
//! from that address are refused before any password is checked, whatever user they name.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::{Error, Result};

/// Failed logins an address may make within [`WINDOW`].
const MAX_FAILURES: u32 = 10;
/// How long failures count, and how long an address that made too many waits.
const WINDOW: Duration = Duration::from_secs(60);

/// Recent failed logins by client address.
#[derive(Debug, Default)]
pub(crate) struct LoginThrottle {
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

impl LoginThrottle {
    /// Refuses an address that failed too often lately.
    pub(crate) fn check(&self, address: IpAddr) -> Result<()> {
        let failures = self.failures.lock().expect("throttle lock");
        match failures.get(&address) {
            Some((count, since)) if *count >= MAX_FAILURES && since.elapsed() < WINDOW => {
                let wait = (WINDOW - since.elapsed()).as_secs() + 1;
                Err(Error::LoginsThrottled(wait))
            }
            _ => Ok(()),
        }
    }

    /// Records a login's outcome: a failure counts, a success forgets the address's failures.
    pub(crate) fn record(&self, address: IpAddr, succeeded: bool) {
        let mut failures = self.failures.lock().expect("throttle lock");
        if succeeded {
            failures.remove(&address);
            return;
        }
        let entry = failures.entry(address).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
        // Forget addresses whose window is over, so the map stays small.
        if failures.len() > 10_000 {
            failures.retain(|_, (_, since)| since.elapsed() < WINDOW);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_refused_after_too_many_failures_and_others_are_not() {
        let throttle = LoginThrottle::default();
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        for _ in 0..MAX_FAILURES {
            throttle.check(a).unwrap();
            throttle.record(a, false);
        }
        assert_eq!(throttle.check(a).unwrap_err().sqlstate(), "28000");
        throttle.check(b).unwrap();
        throttle.record(a, true);
        throttle.check(a).unwrap();
    }
}
