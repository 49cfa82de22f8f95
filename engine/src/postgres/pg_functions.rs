//! Postgres functions that clients call and neither DataFusion nor `datafusion-pg-catalog` has:
//! type and relation lookups (`to_regtype`, `pg_table_is_visible`, `pg_get_viewdef`), and the
//! functions about things Hangar does not have (sequences, comments, indexes, Postgres function
//! signatures), which answer NULL as Postgres does for objects without them.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, RwLock};

use datafusion::arrow::array::{Array, BooleanArray, Int32Array, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use datafusion::common::cast::as_string_array;
use datafusion::error::Result as DfResult;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionImplementation, ScalarUDF, Signature, SimpleScalarUDF,
    TypeSignature, Volatility, create_udf,
};
use datafusion::prelude::SessionContext;
use hangar_catalog::Catalog;
use postgres_types::Type;

use crate::access::Identity;
use crate::metadata::CatalogMetadata;

/// The schema and name of each relation by its oid, as the session's `pg_class` last listed them.
/// The oids are the pg_catalog library's, known only once `pg_class` has been read, which every
/// query that has a relation oid to pass to these functions has done.
#[derive(Debug, Default)]
pub(crate) struct Relations(RwLock<HashMap<i32, (String, String)>>);

impl Relations {
    /// Replaces what is known with a fresh listing of `pg_class`.
    pub(crate) fn record(&self, relations: HashMap<i32, (String, String)>) {
        *self.0.write().expect("lock") = relations;
    }

    fn get(&self, oid: i32) -> Option<(String, String)> {
        self.0.read().expect("lock").get(&oid).cloned()
    }
}

/// Registers the functions in a session.
pub(crate) fn register(
    ctx: &SessionContext,
    catalog: &Arc<Catalog>,
    relations: &Arc<Relations>,
    identity: &Arc<Identity>,
) {
    for (name, role) in [
        ("session_user", Role::Session),
        ("current_user", Role::Current),
    ] {
        ctx.register_udf(user_function(name, Arc::clone(identity), role));
    }
    ctx.register_udf(to_regtype());
    ctx.register_udf(pg_table_is_visible(Arc::clone(relations)));
    ctx.register_udf(pg_get_viewdef(Arc::clone(catalog), Arc::clone(relations)));
    let text = ScalarValue::Utf8(None);
    for (name, arities, value) in [
        // No sequences, comments or indexes: NULL, as Postgres answers for objects without them.
        ("pg_get_serial_sequence", &[2][..], text.clone()),
        ("obj_description", &[1, 2], text.clone()),
        ("col_description", &[2], text.clone()),
        ("shobj_description", &[2], text.clone()),
        ("pg_get_indexdef", &[1, 3], text.clone()),
        // Hangar's functions are DataFusion's, which have no Postgres signature to print.
        ("pg_get_function_result", &[1], text.clone()),
        ("pg_get_function_arguments", &[1], text.clone()),
        ("pg_get_function_identity_arguments", &[1], text),
        // Every type and function is in pg_catalog, which is always on the search path.
        ("pg_type_is_visible", &[1], ScalarValue::Boolean(Some(true))),
        (
            "pg_collation_is_visible",
            &[1],
            ScalarValue::Boolean(Some(true)),
        ),
        (
            "pg_function_is_visible",
            &[1],
            ScalarValue::Boolean(Some(true)),
        ),
        ("pg_is_in_recovery", &[0], ScalarValue::Boolean(Some(false))),
        (
            "pg_client_encoding",
            &[0],
            ScalarValue::Utf8(Some("UTF8".into())),
        ),
    ] {
        let return_type = value.data_type();
        let answer = move |_: &[ColumnarValue]| Ok(ColumnarValue::Scalar(value.clone()));
        ctx.register_udf(function(name, arities, return_type, Arc::new(answer)));
    }
}

/// Which of a session's roles a user function answers.
#[derive(Clone, Copy)]
enum Role {
    /// The role that logged in.
    Session,
    /// The role privileges are checked for (`SET ROLE`).
    Current,
}

/// `session_user` or `current_user`, read from the session's identity at each call.
fn user_function(name: &str, identity: Arc<Identity>, role: Role) -> ScalarUDF {
    let answer = move |_: &[ColumnarValue]| {
        let user = match role {
            Role::Session => identity.session_user().to_string(),
            Role::Current => identity.current_role(),
        };
        Ok(ColumnarValue::Scalar(ScalarValue::Utf8(Some(user))))
    };
    function(name, &[0], DataType::Utf8, Arc::new(answer))
}

/// A function of any arguments, with one of the given arities.
fn function(
    name: &str,
    arities: &[usize],
    return_type: DataType,
    fun: ScalarFunctionImplementation,
) -> ScalarUDF {
    let arities = arities
        .iter()
        .map(|&n| match n {
            0 => TypeSignature::Nullary,
            n => TypeSignature::Any(n),
        })
        .collect();
    let signature = Signature::one_of(arities, Volatility::Stable);
    ScalarUDF::from(SimpleScalarUDF::new_with_signature(
        name,
        signature,
        return_type,
        fun,
    ))
}

/// Applies `f` to each oid of a one-argument call, keeping the argument's shape.
fn map_oids<T>(
    args: &[ColumnarValue],
    f: impl Fn(i32) -> Option<T>,
    scalar: impl Fn(Option<T>) -> ScalarValue,
    array: impl Fn(Vec<Option<T>>) -> Arc<dyn Array>,
) -> DfResult<ColumnarValue> {
    let oids = cast(&args[0].to_array(1)?, &DataType::Int32)?;
    let oids = oids
        .as_any()
        .downcast_ref::<Int32Array>()
        .expect("cast to Int32");
    let values: Vec<Option<T>> = oids.iter().map(|oid| oid.and_then(&f)).collect();
    Ok(match &args[0] {
        ColumnarValue::Scalar(_) => {
            ColumnarValue::Scalar(scalar(values.into_iter().next().flatten()))
        }
        ColumnarValue::Array(_) => ColumnarValue::Array(array(values)),
    })
}

/// `pg_table_is_visible(oid)`: whether a relation can be named without its schema. Hangar resolves
/// unqualified names in the default schema (`public`) and in `pg_catalog`, so relations of other
/// schemas (the system schema `hangar` among them) are not visible, as in Postgres, where psql's
/// `\dt` and SQLAlchemy list only visible relations. An oid `pg_class` has not listed reads as
/// visible, as the library always answered.
fn pg_table_is_visible(relations: Arc<Relations>) -> ScalarUDF {
    let visible = move |oid: i32| {
        Some(relations.get(oid).is_none_or(|(schema, _)| {
            schema == hangar_catalog::DEFAULT_SCHEMA || schema == "pg_catalog"
        }))
    };
    create_udf(
        "pg_table_is_visible",
        vec![DataType::Int32],
        DataType::Boolean,
        Volatility::Stable,
        Arc::new(move |args: &[ColumnarValue]| {
            map_oids(args, &visible, ScalarValue::Boolean, |values| {
                Arc::new(BooleanArray::from(values))
            })
        }),
    )
}

/// `pg_get_viewdef(oid [, pretty])`: a materialized view's query; NULL for other relations.
fn pg_get_viewdef(catalog: Arc<Catalog>, relations: Arc<Relations>) -> ScalarUDF {
    let definition = move |oid: i32| {
        let (schema, name) = relations.get(oid)?;
        let metadata = CatalogMetadata::of(&catalog);
        let relation = metadata.relation(&schema, &name)?;
        relation.view_query().map(str::to_string)
    };
    // The second argument (pretty-printing) changes nothing here.
    function(
        "pg_get_viewdef",
        &[1, 2],
        DataType::Utf8,
        Arc::new(move |args: &[ColumnarValue]| {
            map_oids(args, &definition, ScalarValue::Utf8, |values| {
                Arc::new(StringArray::from(values))
            })
        }),
    )
}
/// `to_regtype(name)`: the oid of the built-in type `name` (as SQL spells it: `integer`,
/// `pg_catalog.int4`, `text[]`…), or NULL. Drivers look up types with it (psycopg's `TypeInfo`).
fn to_regtype() -> ScalarUDF {
    let lookup = |name: Option<&str>| name.and_then(type_oid);
    create_udf(
        "to_regtype",
        vec![DataType::Utf8],
        DataType::Int32,
        Volatility::Immutable,
        Arc::new(move |args: &[ColumnarValue]| match &args[0] {
            ColumnarValue::Scalar(name) => Ok(ColumnarValue::Scalar(ScalarValue::Int32(lookup(
                name.try_as_str().flatten(),
            )))),
            ColumnarValue::Array(names) => {
                let names = cast(names, &DataType::Utf8)?;
                let oids: Int32Array = as_string_array(&names)?.iter().map(&lookup).collect();
                Ok(ColumnarValue::Array(Arc::new(oids)))
            }
        }),
    )
}

/// Built-in types' oids by name, built once.
static TYPE_OIDS: LazyLock<HashMap<String, i32>> = LazyLock::new(|| {
    (1..10_000)
        .filter_map(Type::from_oid)
        .map(|t| (t.name().to_string(), t.oid() as i32))
        .collect()
});

/// Resolves a type name the way Postgres's type grammar reads it, for built-in types.
fn type_oid(name: &str) -> Option<i32> {
    let name = name.trim().to_ascii_lowercase();
    let name = name.strip_prefix("pg_catalog.").unwrap_or(&name);
    let (name, array) = match name.strip_suffix("[]") {
        Some(element) => (element.trim_end(), true),
        None => (name, false),
    };
    // Type modifiers do not change the type: `varchar(10)`, `numeric(10, 2)`.
    let name = name.split('(').next().unwrap_or(name).trim_end();
    let name = match name {
        "integer" | "int" => "int4",
        "smallint" => "int2",
        "bigint" => "int8",
        "real" => "float4",
        "double precision" => "float8",
        "boolean" => "bool",
        "decimal" => "numeric",
        "character varying" => "varchar",
        "character" => "bpchar",
        "timestamp without time zone" => "timestamp",
        "timestamp with time zone" => "timestamptz",
        "time without time zone" => "time",
        "time with time zone" => "timetz",
        other => other,
    };
    let name = if array {
        format!("_{name}")
    } else {
        name.to_string()
    };
    TYPE_OIDS.get(&name).copied()
}
