//! The folders of a view's versions under its root: `v<version>-<run>`, one per refresh.

/// The name of a version's folder under the view's root: `v<version>-<run>`, numbers padded so
/// folders sort by version.
pub(crate) fn version_folder(version: u64, run_id: &str) -> String {
    format!("v{version:010}-{run_id}")
}

/// The version a folder named by [`version_folder`] holds.
pub(crate) fn folder_version(folder: &str) -> Option<u64> {
    folder.strip_prefix('v')?.split('-').next()?.parse().ok()
}
