//! End-to-end tests: real `hangar` servers on port 0, real clients.

mod catalog;
mod common;
mod cursors;
mod flight;
mod matview;
mod protocol;
mod psql;
mod replays;
mod s3;
mod sandbox;
mod scheduler;
mod security;
mod semantics;
mod subqueries;
mod tpch;
mod types;
