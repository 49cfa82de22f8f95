//! Removing what readers can no longer need from the warehouse: replaced versions of materialized
//! views, folders of refreshes that failed or died, and the folders of dropped tables and views.
//!
//! Nothing is removed under a running reader: a folder goes only once it has been out of the catalog
//! for the grace period (`--view-version-grace`). Every server's scheduler sweeps the whole warehouse
//! periodically, so what one server leaves behind when it stops, another removes.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use hangar_catalog::Change;
use hangar_engine::Engine;
use object_store::ObjectStoreExt;
use object_store::path::Path;

use crate::versions::folder_version;

/// Sweeps the warehouse: dropped folders, then every view's old versions.
pub(crate) async fn sweep(engine: &Engine) {
    remove_dropped(engine).await;
    let Ok(snapshot) = engine.catalog().refresh().await else {
        return;
    };
    for (_, _, _, view) in snapshot.views() {
        remove_old_versions(engine, &view.root).await;
    }
}

/// Removes the dropped folders in a grace period, after a drop on this server (the periodic sweep
/// catches up if the server stops first).
pub(crate) fn remove_dropped_later(engine: &Engine) {
    let engine = engine.clone();
    tokio::spawn(async move {
        tokio::time::sleep(engine.config().view_version_grace).await;
        remove_dropped(&engine).await;
    });
}

/// Whether `time` is more than the grace period ago on the engine's clock.
fn past_grace(engine: &Engine, time: DateTime<Utc>) -> bool {
    engine
        .clock()
        .now()
        .signed_duration_since(time)
        .to_std()
        .is_ok_and(|age| age > engine.config().view_version_grace)
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Removes the files of folders dropped more than the grace period ago, then forgets them.
async fn remove_dropped(engine: &Engine) {
    let snapshot = match engine.catalog().refresh().await {
        Ok(snapshot) => snapshot,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the catalog to remove dropped folders");
            return;
        }
    };
    let warehouse = engine.stores().warehouse();
    let mut removed = Vec::new();
    for dropped in &snapshot.dropped {
        if !parse_time(&dropped.dropped_at).is_some_and(|t| past_grace(engine, t)) {
            continue;
        }
        let gone = match warehouse.path_of(&dropped.location) {
            Some(prefix) => {
                warehouse
                    .remove_all(&prefix, "a dropped table or view")
                    .await
            }
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
    if let Err(e) = engine.catalog().commit(&forget).await {
        // Another server forgot them first, or the next sweep will.
        tracing::debug!(error = %e, "could not forget removed folders");
    }
}

/// Best-effort removal of a view version's folder.
pub(crate) async fn remove_prefix(engine: &Engine, url: &str) {
    let warehouse = engine.stores().warehouse();
    if let Some(prefix) = warehouse.path_of(url) {
        warehouse.remove_all(&prefix, "a view version").await;
    }
}

/// Removes a view's folders that readers can no longer need: versions that stopped being current
/// more than the grace period ago, and folders of refreshes that failed or died, once they have been
/// untouched for as long. A root that is no view's any more is left to [`remove_dropped`].
pub(crate) async fn remove_old_versions(engine: &Engine, root: &str) {
    let Ok(snapshot) = engine.catalog().refresh().await else {
        return;
    };
    let Some((entry, view)) = snapshot
        .views()
        .find(|(.., view)| view.root == root)
        .map(|(_, _, entry, view)| (entry, view))
    else {
        return;
    };
    let warehouse = engine.stores().warehouse();
    let (store, Some(prefix)) = (&warehouse.store, warehouse.path_of(root)) else {
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
                .is_some_and(|t| past_grace(engine, t))
        } else {
            // A refresh that failed, died, or is still writing: only once it is quiet.
            past_grace(engine, newest)
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
