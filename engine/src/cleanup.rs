//! Removing what readers can no longer need from the warehouse: replaced versions of materialized
//! views, folders of refreshes that failed or died, and the folders of dropped tables and views.
//!
//! Nothing is removed under a running reader: a folder goes only once it has been out of the catalog
//! for the grace period (`--view-version-grace`). Every server's scheduler sweeps the whole warehouse
//! periodically, so what one server leaves behind when it stops, another removes.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use hangar_catalog::Change;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt};

use crate::engine::Shared;
use crate::matview::folder_version;

/// Sweeps the warehouse: dropped folders, then every view's old versions.
pub(crate) async fn sweep(shared: &Arc<Shared>) {
    remove_dropped(shared).await;
    let Ok(snapshot) = shared.catalog.refresh().await else {
        return;
    };
    for (_, _, _, view) in snapshot.views() {
        remove_old_versions(shared, &view.root).await;
    }
}

/// Removes the dropped folders in a grace period, after a drop on this server (the periodic sweep
/// catches up if the server stops first).
pub(crate) fn remove_dropped_later(shared: &Arc<Shared>) {
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        tokio::time::sleep(shared.config.view_version_grace).await;
        remove_dropped(&shared).await;
    });
}

/// Whether `time` is more than the grace period ago on the engine's clock.
fn past_grace(shared: &Shared, time: DateTime<Utc>) -> bool {
    shared
        .clock
        .now()
        .signed_duration_since(time)
        .to_std()
        .is_ok_and(|age| age > shared.config.view_version_grace)
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Removes the files of folders dropped more than the grace period ago, then forgets them.
async fn remove_dropped(shared: &Arc<Shared>) {
    let snapshot = match shared.catalog.refresh().await {
        Ok(snapshot) => snapshot,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the catalog to remove dropped folders");
            return;
        }
    };
    let mut removed = Vec::new();
    for dropped in &snapshot.dropped {
        if !parse_time(&dropped.dropped_at).is_some_and(|t| past_grace(shared, t)) {
            continue;
        }
        let gone = match warehouse_path(shared, &dropped.location) {
            Some((store, prefix)) => remove_all(&store, &prefix, "a dropped table or view").await,
            // Outside the warehouse: not Hangar's to remove.
            None => true,
        };
        if gone {
            tracing::info!(location = %dropped.location, "removed a dropped folder");
            removed.push(dropped.location.clone());
        }
    }
    if removed.is_empty() {
        return;
    }
    let forget = Change::ForgetDropped { locations: removed };
    if let Err(e) = shared.catalog.commit(&forget).await {
        // Another server forgot them first, or the next sweep will.
        tracing::debug!(error = %e, "could not forget removed folders");
    }
}

/// The warehouse store and the path of a warehouse URL's folder.
pub(crate) fn warehouse_path(
    shared: &Shared,
    url: &str,
) -> Option<(Arc<dyn object_store::ObjectStore>, Path)> {
    let warehouse = shared.stores.warehouse();
    let relative = url.strip_prefix(warehouse.url.as_str())?;
    Some((
        Arc::clone(&warehouse.store),
        Path::from(format!(
            "{}/{}",
            warehouse.root,
            relative.trim_end_matches('/')
        )),
    ))
}

/// Best-effort removal of a view version's folder.
pub(crate) async fn remove_prefix(shared: &Shared, url: &str) {
    if let Some((store, prefix)) = warehouse_path(shared, url) {
        remove_all(&store, &prefix, "a view version").await;
    }
}

/// Best-effort removal of every object under `prefix`; failures are logged, naming `what` the
/// objects belonged to. Returns whether every object is gone.
pub(crate) async fn remove_all(store: &Arc<dyn ObjectStore>, prefix: &Path, what: &str) -> bool {
    let files: Vec<_> = match store
        .list(Some(prefix))
        .map_ok(|m| m.location)
        .try_collect()
        .await
    {
        Ok(files) => files,
        Err(e) => {
            tracing::warn!(%prefix, error = %e, "could not list the files of {what}");
            return false;
        }
    };
    let mut all = true;
    for file in files {
        if let Err(e) = store.delete(&file).await {
            tracing::warn!(%file, error = %e, "could not remove a file of {what}");
            all = false;
        }
    }
    all
}

/// Removes a view's folders that readers can no longer need: versions that stopped being current
/// more than the grace period ago, and folders of refreshes that failed or died, once they have been
/// untouched for as long. A root that is no view's any more is left to [`remove_dropped`].
pub(crate) async fn remove_old_versions(shared: &Arc<Shared>, root: &str) {
    let Ok(snapshot) = shared.catalog.refresh().await else {
        return;
    };
    let Some((entry, view)) = snapshot
        .views()
        .find(|(.., view)| view.root == root)
        .map(|(_, _, entry, view)| (entry, view))
    else {
        return;
    };
    let Some((store, prefix)) = warehouse_path(shared, root) else {
        return;
    };
    let Ok(files) = store.list(Some(&prefix)).try_collect::<Vec<_>>().await else {
        return;
    };
    // Group files by version folder: the first path part under the root.
    let mut folders: HashMap<String, (Vec<Path>, DateTime<Utc>)> = HashMap::new();
    for meta in files {
        let Some(folder) = meta
            .location
            .prefix_match(&prefix)
            .and_then(|mut parts| parts.next())
            .map(|part| part.as_ref().to_string())
        else {
            continue;
        };
        let (paths, newest) = folders
            .entry(folder)
            .or_insert_with(|| (vec![], meta.last_modified));
        *newest = (*newest).max(meta.last_modified);
        paths.push(meta.location);
    }
    for (folder, (paths, newest)) in folders {
        let removable = if entry.location.trim_end_matches('/').ends_with(&folder) {
            false
        } else if folder_version(&folder).unwrap_or(0) < view.version {
            // Stopped being current when the current version was committed, at the latest.
            view.refreshed_at
                .as_deref()
                .and_then(parse_time)
                .is_some_and(|t| past_grace(shared, t))
        } else {
            // A refresh that failed, died, or is still writing: only once it is quiet.
            past_grace(shared, newest)
        };
        if removable {
            tracing::info!(%root, %folder, "removing an old view version");
            for path in paths {
                if let Err(e) = store.delete(&path).await {
                    tracing::warn!(%path, error = %e, "could not remove a file of an old view version");
                }
            }
        }
    }
}
