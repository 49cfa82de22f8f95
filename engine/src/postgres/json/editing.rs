//! What changes a `jsonb` value: at a path (`jsonb_set`, `jsonb_insert`, `#-`), and the `||` and
//! `-` operators, as Postgres' `setPath` and `jsonb_delete` do.

use datafusion::common::Result;

use super::value::{Json, Value};
use crate::Error;

/// What to do at the end of a path.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Edit {
    /// Replace the value there; add it where missing if `create`.
    Set { create: bool },
    /// Insert the value there: before an array's element (after, if `after`), or as an object's
    /// new member.
    Insert { after: bool },
    /// Remove the value there.
    Delete,
}

/// `doc` with `new` put at `path` (or the value at `path` removed), as `edit` says. A path that
/// leads nowhere leaves `doc` as it is.
pub(crate) fn edit_path<'a>(
    mut doc: Json<'a>,
    path: &[Option<String>],
    new: Option<Json<'a>>,
    edit: Edit,
) -> Result<Json<'a>> {
    if path.is_empty() {
        return Ok(doc);
    }
    if !matches!(edit, Edit::Delete) && !matches!(doc.value, Value::Array(_) | Value::Object(_)) {
        return Err(Error::InvalidParameter("cannot set path in scalar".into()).into_datafusion());
    }
    if matches!(edit, Edit::Delete) && !matches!(doc.value, Value::Array(_) | Value::Object(_)) {
        return Err(
            Error::InvalidParameter("cannot delete path in scalar".into()).into_datafusion(),
        );
    }
    edit_at(&mut doc, path, 0, new, edit)?;
    Ok(doc)
}

fn edit_at<'a>(
    doc: &mut Json<'a>,
    path: &[Option<String>],
    level: usize,
    new: Option<Json<'a>>,
    edit: Edit,
) -> Result<()> {
    let Some(step) = path[level].as_deref() else {
        return Err(Error::InvalidParameter(format!(
            "path element at position {} is null",
            level + 1
        ))
        .into_datafusion());
    };
    let last = level + 1 == path.len();
    doc.raw = "";
    match &mut doc.value {
        Value::Object(members) => {
            *members = Json::jsonb_members(members);
            let found = members.iter().position(|(k, _)| k == step);
            match (found, last, edit) {
                (Some(at), false, _) => edit_at(&mut members[at].1, path, level + 1, new, edit)?,
                (Some(at), true, Edit::Set { .. }) => members[at].1 = new.expect("a value to set"),
                (Some(_), true, Edit::Insert { .. }) => {
                    return Err(
                        Error::InvalidParameter("cannot replace existing key".into())
                            .into_datafusion(),
                    );
                }
                (Some(at), true, Edit::Delete) => {
                    members.remove(at);
                }
                (None, true, Edit::Set { create: true } | Edit::Insert { .. }) => {
                    members.push((step.to_string(), new.expect("a value to put")));
                }
                (None, ..) => {}
            }
        }
        Value::Array(items) => {
            let Ok(index) = step.parse::<i64>() else {
                return Err(Error::InvalidText(format!(
                    "path element at position {} is not an integer: \"{step}\"",
                    level + 1
                ))
                .into_datafusion());
            };
            let len = items.len() as i64;
            let at = if index < 0 { index + len } else { index };
            if !last {
                if (0..len).contains(&at) {
                    edit_at(&mut items[at as usize], path, level + 1, new, edit)?;
                }
                return Ok(());
            }
            match edit {
                Edit::Set { create } => {
                    let new = new.expect("a value to set");
                    if (0..len).contains(&at) {
                        items[at as usize] = new;
                    } else if create && at < 0 {
                        items.insert(0, new);
                    } else if create {
                        items.push(new);
                    }
                }
                Edit::Insert { after } => {
                    let position = if at < 0 {
                        0
                    } else if at >= len {
                        len
                    } else {
                        at + i64::from(after)
                    };
                    items.insert(position as usize, new.expect("a value to insert"));
                }
                Edit::Delete => {
                    if (0..len).contains(&at) {
                        items.remove(at as usize);
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// `a || b`: arrays concatenated, objects merged (the right one's members win), a scalar or an
/// object taken as an array of one where the other is an array.
pub(crate) fn concat<'a>(a: Json<'a>, b: Json<'a>) -> Json<'a> {
    let items = |v: Json<'a>| match v.value {
        Value::Array(items) => items,
        _ => vec![v],
    };
    match (a.value, b.value) {
        (Value::Object(mut left), Value::Object(right)) => {
            left.extend(right);
            Json::built(Value::Object(left))
        }
        (left, right) => {
            let mut all = items(Json::built(left));
            all.extend(items(Json::built(right)));
            Json::built(Value::Array(all))
        }
    }
}

/// What `-` removes from a `jsonb` value.
pub(crate) enum Removal {
    /// Members with these keys, or string elements equal to one of them.
    Keys(Vec<String>),
    /// The array element at this index (from the end, when negative).
    Index(i64),
}

/// `doc - removal`.
pub(crate) fn delete<'a>(doc: Json<'a>, removal: &Removal) -> Result<Json<'a>> {
    let scalar = || Error::InvalidParameter("cannot delete from scalar".into()).into_datafusion();
    Ok(Json::built(match (doc.value, removal) {
        (Value::Object(members), Removal::Keys(keys)) => Value::Object(
            members
                .into_iter()
                .filter(|(k, _)| !keys.contains(k))
                .collect(),
        ),
        (Value::Array(items), Removal::Keys(keys)) => Value::Array(
            items
                .into_iter()
                .filter(|item| !matches!(&item.value, Value::String(s) if keys.contains(s)))
                .collect(),
        ),
        (Value::Array(mut items), Removal::Index(index)) => {
            let len = items.len() as i64;
            let at = if *index < 0 { index + len } else { *index };
            if (0..len).contains(&at) {
                items.remove(at as usize);
            }
            Value::Array(items)
        }
        (Value::Object(_), Removal::Index(_)) => {
            return Err(Error::InvalidParameter(
                "cannot delete from object using integer index".into(),
            )
            .into_datafusion());
        }
        _ => return Err(scalar()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(steps: &[&str]) -> Vec<Option<String>> {
        steps.iter().map(|s| Some(s.to_string())).collect()
    }

    fn j(text: &str) -> Json<'_> {
        Json::parse(text).unwrap()
    }

    #[test]
    fn set_and_insert_as_postgres() {
        let set = |doc, p: &[&str], new, create| {
            edit_path(j(doc), &path(p), Some(j(new)), Edit::Set { create })
                .unwrap()
                .jsonb_text()
        };
        assert_eq!(
            set(
                r#"[{"f1":1,"f2":null},2,null,3]"#,
                &["0", "f1"],
                "[2,3,4]",
                false
            ),
            r#"[{"f1": [2, 3, 4], "f2": null}, 2, null, 3]"#
        );
        assert_eq!(
            set(r#"[{"f1":1,"f2":null},2]"#, &["0", "f3"], "[2,3,4]", true),
            r#"[{"f1": 1, "f2": null, "f3": [2, 3, 4]}, 2]"#
        );
        assert_eq!(set(r#"{"a": 1}"#, &["b"], r#""new""#, false), r#"{"a": 1}"#);
        let insert = |p: &[&str], after| {
            edit_path(
                j(r#"{"a": [0,1,2]}"#),
                &path(p),
                Some(j(r#""new""#)),
                Edit::Insert { after },
            )
            .unwrap()
            .jsonb_text()
        };
        assert_eq!(insert(&["a", "1"], false), r#"{"a": [0, "new", 1, 2]}"#);
        assert_eq!(insert(&["a", "1"], true), r#"{"a": [0, 1, "new", 2]}"#);
        assert_eq!(insert(&["a", "-1"], false), r#"{"a": [0, 1, "new", 2]}"#);
    }

    #[test]
    fn concat_and_delete_as_postgres() {
        assert_eq!(
            concat(j(r#"["a", "b"]"#), j(r#"["a", "d"]"#)).jsonb_text(),
            r#"["a", "b", "a", "d"]"#
        );
        assert_eq!(
            concat(j(r#"{"a": "b"}"#), j(r#"{"c": "d", "a": 5}"#)).jsonb_text(),
            r#"{"a": 5, "c": "d"}"#
        );
        assert_eq!(
            concat(j(r#"{"a":1}"#), j("[2]")).jsonb_text(),
            r#"[{"a": 1}, 2]"#
        );
        let keys = Removal::Keys(vec!["b".into()]);
        assert_eq!(
            delete(j(r#"["a", "b", "c", "b"]"#), &keys)
                .unwrap()
                .jsonb_text(),
            r#"["a", "c"]"#
        );
        assert_eq!(
            delete(j(r#"["a", "b", "c"]"#), &Removal::Index(-1))
                .unwrap()
                .jsonb_text(),
            r#"["a", "b"]"#
        );
        assert!(delete(j("1"), &keys).is_err());
    }
}
