//! Array subscripts and `unnest` as Postgres reads them, whatever an array's number of
//! dimensions. DataFusion's `a[i]` takes one element of the outermost list, counts negative
//! subscripts from the end, and slices one dimension at a time, where Postgres:
//! - takes an element only with one subscript per dimension (`a[2][3]`), and is NULL with fewer
//!   or more, or out of range (`(ARRAY[[1, 2], [3, 4]])[2]` is NULL, not `{3,4}`);
//! - slices every dimension at once when any subscript is a slice, a lone subscript `n` standing
//!   for `1:n` (`a[1:2][2:3]` is the middle of a 2×3 array's rows), clamping each range to the
//!   array's bounds; an omitted bound is the array's own (arrays here start at 1);
//! - unnests a multidimensional array into its elements, not its sub-arrays.
//!
//! So a chain of subscripts becomes one call, `hangar_subscript(a, i, j)` or
//! `hangar_slice(a, lower1, upper1, …)`, and each array `unnest` reads is wrapped in
//! `hangar_elements`, its innermost elements as one list (the array itself when it has one
//! dimension). A subscript of a value that is not an array is Postgres' `42804`.
//!
//! `array_dims` is Postgres' too: the text of each dimension's bounds (`[1:2][1:3]`), NULL for an
//! empty array; DataFusion's answered a list of lengths (`{2,3}`).

use std::ops::ControlFlow;
use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Int32Array, ListArray, StringArray, UInt64Array, new_null_array,
};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::compute::take;
use datafusion::arrow::datatypes::{DataType, Field, Int32Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use datafusion::prelude::SessionContext;
use datafusion::sql::sqlparser::ast::{
    AccessExpr, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Statement, Subscript,
    TableFactor, Value, VisitMut, VisitorMut,
};

use super::from_functions::function_name;
use crate::error::{Anchor, Error, pg_type_name};
use crate::statement::{function_call, rewrite_expressions};

const SUBSCRIPT: &str = "hangar_subscript";
const SLICE: &str = "hangar_slice";
const ELEMENTS: &str = "hangar_elements";
const DIMS: &str = "array_dims";

/// Registers `hangar_subscript`, `hangar_slice`, `hangar_elements` and Postgres' `array_dims`.
pub(crate) fn install(ctx: &SessionContext) {
    for kind in [Kind::Subscript, Kind::Slice, Kind::Elements, Kind::Dims] {
        ctx.register_udf(ScalarUDF::new_from_impl(Subscripts::new(kind)));
    }
}

/// Wraps each array `unnest` reads, in a select list or in `FROM`, in `hangar_elements`.
pub(crate) fn rewrite_unnest_elements(mut statement: Statement) -> Statement {
    let _ = statement.visit(&mut UnnestElements);
    statement
}

struct UnnestElements;

impl VisitorMut for UnnestElements {
    type Break = ();

    fn pre_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
        if let TableFactor::UNNEST { array_exprs, .. } = factor {
            array_exprs.iter_mut().for_each(elements_of);
        }
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Expr::Function(function) = expr
            && function_name(&function.name).as_deref() == Some("unnest")
            && let FunctionArguments::List(list) = &mut function.args
        {
            for arg in &mut list.args {
                if let FunctionArg::Unnamed(FunctionArgExpr::Expr(array)) = arg {
                    elements_of(array);
                }
            }
        }
        ControlFlow::Continue(())
    }
}

/// `array` as `hangar_elements(array)`, once (a view's stored query is rewritten each time it is
/// planned).
fn elements_of(array: &mut Expr) {
    if let Expr::Function(function) = array
        && function_name(&function.name).as_deref() == Some(ELEMENTS)
    {
        return;
    }
    let inner = std::mem::replace(array, Expr::value(Value::Null));
    *array = function_call(ELEMENTS, vec![inner]);
}

/// Rewrites each chain of array subscripts of `statement` into one `hangar_subscript` or
/// `hangar_slice` call. A chain with a field access or a stride (DataFusion's `a[1:5:2]`, not
/// Postgres') stays as it is.
pub(crate) fn rewrite_subscripts(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        let Expr::CompoundFieldAccess { root, access_chain } = expr else {
            return;
        };
        let Some(subscripts) = access_chain
            .iter()
            .map(|access| match access {
                AccessExpr::Subscript(subscript @ Subscript::Index { .. })
                | AccessExpr::Subscript(subscript @ Subscript::Slice { stride: None, .. }) => {
                    Some(subscript.clone())
                }
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
        else {
            return;
        };
        let sliced = subscripts
            .iter()
            .any(|s| matches!(s, Subscript::Slice { .. }));
        let mut args = vec![std::mem::replace(root.as_mut(), Expr::value(Value::Null))];
        let number = |n: i64| Expr::value(Value::Number(n.to_string(), false));
        for subscript in subscripts {
            match subscript {
                Subscript::Index { index } if sliced => args.extend([number(1), index]),
                Subscript::Index { index } => args.push(index),
                Subscript::Slice {
                    lower_bound,
                    upper_bound,
                    ..
                } => args.extend([
                    lower_bound.unwrap_or_else(|| number(1)),
                    upper_bound.unwrap_or_else(|| number(i32::MAX.into())),
                ]),
            }
        }
        *expr = function_call(if sliced { SLICE } else { SUBSCRIPT }, args);
    })
}

/// Which of the four functions.
#[derive(Debug, PartialEq, Eq, Hash, Clone, Copy)]
enum Kind {
    Subscript,
    Slice,
    Elements,
    Dims,
}

/// `hangar_subscript`, `hangar_slice`, `hangar_elements` or `array_dims`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Subscripts {
    kind: Kind,
    signature: Signature,
}

impl Subscripts {
    fn new(kind: Kind) -> Self {
        Subscripts {
            kind,
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for Subscripts {
    fn name(&self) -> &str {
        match self.kind {
            Kind::Subscript => SUBSCRIPT,
            Kind::Slice => SLICE,
            Kind::Elements => ELEMENTS,
            Kind::Dims => DIMS,
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let Some((array, subscripts)) = arg_types.split_first() else {
            return exec_err!("{} takes an array", self.name());
        };
        if matches!(self.kind, Kind::Elements | Kind::Dims) && !subscripts.is_empty() {
            return exec_err!("{} takes one array", self.name());
        }
        let mut types = vec![lists(array)];
        types.extend(subscripts.iter().map(|_| DataType::Int32));
        Ok(types)
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        let array = &arg_types[0];
        if matches!(self.kind, Kind::Subscript | Kind::Slice) && dimensions(array) == 0 {
            let message = format!(
                "cannot subscript type {} because it does not support subscripting",
                pg_type_name(array)
            );
            return Err(Error::postgres("42804", message, Anchor::Nowhere).into_datafusion());
        }
        Ok(match self.kind {
            Kind::Subscript => innermost(array).clone(),
            Kind::Slice => array.clone(),
            Kind::Elements if dimensions(array) > 1 => {
                DataType::new_list(innermost(array).clone(), true)
            }
            Kind::Elements => array.clone(),
            Kind::Dims => DataType::Utf8,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let Some((array, subscripts)) = arrays.split_first() else {
            return exec_err!("{} takes an array", self.name());
        };
        let subscripts: Vec<&Int32Array> = subscripts
            .iter()
            .map(|s| s.as_primitive::<Int32Type>())
            .collect();
        let result = match self.kind {
            Kind::Subscript => element(array, &subscripts)?,
            Kind::Slice => {
                let bounds: Vec<_> = subscripts.chunks(2).map(|b| (b[0], b[1])).collect();
                slice(array, &bounds)?
            }
            Kind::Elements if dimensions(array.data_type()) > 1 => {
                Arc::new(flattened(array.as_list::<i32>()))
            }
            Kind::Elements => Arc::clone(array),
            Kind::Dims => Arc::new(bounds_text(array)),
        };
        debug_assert_eq!(result.len(), rows);
        Ok(ColumnarValue::Array(result))
    }
}

/// How many array dimensions a type has: 0 for a value that is not an array.
fn dimensions(data_type: &DataType) -> usize {
    match data_type {
        DataType::List(field) | DataType::LargeList(field) | DataType::FixedSizeList(field, _) => {
            1 + dimensions(field.data_type())
        }
        _ => 0,
    }
}

/// The type of an array's innermost elements.
fn innermost(data_type: &DataType) -> &DataType {
    match data_type {
        DataType::List(field) | DataType::LargeList(field) | DataType::FixedSizeList(field, _) => {
            innermost(field.data_type())
        }
        other => other,
    }
}

/// The array type with `List` at each level (what the functions read), as a cast makes it.
fn lists(data_type: &DataType) -> DataType {
    match data_type {
        DataType::List(field) | DataType::LargeList(field) | DataType::FixedSizeList(field, _) => {
            DataType::List(Arc::new(Field::new(
                field.name(),
                lists(field.data_type()),
                true,
            )))
        }
        other => other.clone(),
    }
}

/// Each array's dimensions as Postgres' `array_dims` writes them, `[1:2][1:3]` (arrays here start
/// at 1); NULL for a NULL or empty array, or a value that is not an array.
fn bounds_text(array: &ArrayRef) -> StringArray {
    let dims = |row: usize| {
        let mut text = String::new();
        let (mut level, mut position) = (Arc::clone(array), row);
        while let Some(list) = level.as_list_opt::<i32>() {
            let offsets = list.value_offsets();
            let length = offsets[position + 1] - offsets[position];
            if list.is_null(position) || length == 0 {
                return None;
            }
            text.push_str(&format!("[1:{length}]"));
            position = offsets[position] as usize;
            level = Arc::clone(list.values());
        }
        (!text.is_empty()).then_some(text)
    };
    (0..array.len()).map(dims).collect()
}

/// Each row's element at its subscripts, one per dimension: NULL where the array or a subscript
/// is NULL, a subscript is out of range, or their number is not the array's dimensions'.
fn element(array: &ArrayRef, subscripts: &[&Int32Array]) -> Result<ArrayRef> {
    if subscripts.len() != dimensions(array.data_type()) {
        return Ok(new_null_array(innermost(array.data_type()), array.len()));
    }
    let mut level = Arc::clone(array);
    let mut positions: Vec<Option<usize>> = (0..array.len()).map(Some).collect();
    for subscript in subscripts {
        let list = level.as_list::<i32>();
        let offsets = list.value_offsets();
        for (row, position) in positions.iter_mut().enumerate() {
            *position = position.and_then(|p| {
                let index =
                    usize::try_from(subscript.is_valid(row).then(|| subscript.value(row))?).ok()?;
                let length = (offsets[p + 1] - offsets[p]) as usize;
                (list.is_valid(p) && (1..=length).contains(&index))
                    .then(|| offsets[p] as usize + index - 1)
            });
        }
        level = Arc::clone(list.values());
    }
    let indices: UInt64Array = positions.iter().map(|p| p.map(|p| p as u64)).collect();
    Ok(take(&level, &indices, None)?)
}

/// Each row's slice between its bounds, one pair per dimension from the outermost; dimensions
/// without bounds are kept whole, and bounds for more dimensions than the array has leave it
/// empty, as in Postgres.
fn slice(array: &ArrayRef, bounds: &[(&Int32Array, &Int32Array)]) -> Result<ArrayRef> {
    let depth = dimensions(array.data_type());
    let beyond = bounds.len() > depth;
    let bounds = &bounds[..bounds.len().min(depth)];
    let entries: Vec<(Option<usize>, usize)> = (0..array.len())
        .map(|row| {
            let bounded = bounds
                .iter()
                .all(|(lower, upper)| lower.is_valid(row) && upper.is_valid(row));
            (bounded.then_some(row), row)
        })
        .collect();
    slice_level(array, &entries, bounds, beyond)
}

/// The sub-arrays of `level` at `entries` (a position in `level`, or NULL, and the row whose
/// bounds apply), each cut to the first bounds, its own sub-arrays cut to the rest.
fn slice_level(
    level: &ArrayRef,
    entries: &[(Option<usize>, usize)],
    bounds: &[(&Int32Array, &Int32Array)],
    empty: bool,
) -> Result<ArrayRef> {
    let list = level.as_list::<i32>();
    let offsets = list.value_offsets();
    let (lower, upper) = bounds[0];
    let mut children = Vec::new();
    let mut ends = vec![0i32];
    let mut valid = Vec::with_capacity(entries.len());
    for &(position, row) in entries {
        let position = position.filter(|&p| list.is_valid(p));
        if let Some(p) = position.filter(|_| !empty) {
            let length = i64::from(offsets[p + 1] - offsets[p]);
            let from = i64::from(lower.value(row)).max(1);
            let to = i64::from(upper.value(row)).min(length);
            children.extend((from..=to).map(|i| (Some(offsets[p] as usize + i as usize - 1), row)));
        }
        ends.push(children.len() as i32);
        valid.push(position.is_some());
    }
    let values = match bounds {
        [_, rest @ ..] if !rest.is_empty() => slice_level(list.values(), &children, rest, false)?,
        _ => {
            let indices: UInt64Array = children.iter().map(|(p, _)| p.map(|p| p as u64)).collect();
            take(list.values(), &indices, None)?
        }
    };
    let DataType::List(field) = list.data_type() else {
        return exec_err!("{SLICE} of {}", list.data_type());
    };
    Ok(Arc::new(ListArray::try_new(
        Arc::clone(field),
        OffsetBuffer::new(ends.into()),
        values,
        Some(NullBuffer::from(valid)),
    )?))
}

/// Each multidimensional array of `lists` as the list of its innermost elements, in order.
fn flattened(lists: &ListArray) -> ListArray {
    let mut offsets: Vec<i32> = lists.value_offsets().to_vec();
    let mut values = Arc::clone(lists.values());
    while let Some(inner) = values.as_list_opt::<i32>() {
        let inner_offsets = inner.value_offsets();
        offsets
            .iter_mut()
            .for_each(|o| *o = inner_offsets[*o as usize]);
        values = Arc::clone(inner.values());
    }
    let field = Arc::new(Field::new("item", values.data_type().clone(), true));
    ListArray::new(
        field,
        OffsetBuffer::new(offsets.into()),
        values,
        lists.nulls().cloned(),
    )
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::Int32Array;
    use datafusion::arrow::datatypes::Int32Type;

    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn a_chain_of_subscripts_is_one_call() {
        assert_eq!(
            rewritten(
                "SELECT a[1][j + 1], (ARRAY[1, 2])[2] FROM t",
                rewrite_subscripts
            ),
            "SELECT hangar_subscript(a, 1, j + 1), hangar_subscript((ARRAY[1, 2]), 2) FROM t"
        );
    }

    #[test]
    fn any_slice_slices_every_dimension() {
        assert_eq!(
            rewritten("SELECT a[2][1:3], a[:2], a[3:] FROM t", rewrite_subscripts),
            "SELECT hangar_slice(a, 1, 2, 1, 3), hangar_slice(a, 1, 2), \
             hangar_slice(a, 3, 2147483647) FROM t"
        );
    }

    #[test]
    fn field_access_and_strides_stay() {
        let sql = "SELECT (s).f[1], a[1:5:2] FROM t";
        assert_eq!(rewritten(sql, rewrite_subscripts), sql);
    }

    #[test]
    fn unnest_reads_elements_once() {
        let once = rewritten(
            "SELECT unnest(a) FROM t, unnest(ARRAY[[1, 2]], b) AS u(x, y)",
            rewrite_unnest_elements,
        );
        assert_eq!(
            once,
            "SELECT unnest(hangar_elements(a)) FROM t, \
             UNNEST(hangar_elements(ARRAY[[1, 2]]), hangar_elements(b)) AS u (x, y)"
        );
        assert_eq!(rewritten(&once, rewrite_unnest_elements), once);
    }

    /// `[[1, 2, 3], [4, 5, 6]]`, NULL and `[[7], [8]]`.
    fn matrices() -> ArrayRef {
        let rows = ListArray::from_iter_primitive::<Int32Type, _, _>(vec![
            Some(vec![Some(1), Some(2), Some(3)]),
            Some(vec![Some(4), Some(5), Some(6)]),
            Some(vec![Some(7)]),
            Some(vec![Some(8)]),
        ]);
        let field = Arc::new(Field::new("item", rows.data_type().clone(), true));
        Arc::new(ListArray::new(
            field,
            OffsetBuffer::new(vec![0, 2, 2, 4].into()),
            Arc::new(rows),
            Some(NullBuffer::from(vec![true, false, true])),
        ))
    }

    fn ints(values: &[i32]) -> Int32Array {
        Int32Array::from(values.to_vec())
    }

    #[test]
    fn an_element_takes_a_subscript_per_dimension() {
        let found = element(&matrices(), &[&ints(&[2, 1, 2]), &ints(&[3, 1, 1])]).unwrap();
        let found = found.as_primitive::<Int32Type>();
        assert_eq!(found.iter().collect::<Vec<_>>(), [Some(6), None, Some(8)]);
        let too_few = element(&matrices(), &[&ints(&[1, 1, 1])]).unwrap();
        assert_eq!(too_few.data_type(), &DataType::Int32);
        assert_eq!(too_few.null_count(), 3);
    }

    #[test]
    fn a_slice_cuts_each_dimension_within_its_bounds() {
        let (lower, upper) = (ints(&[1, 1, 2]), ints(&[2, 1, 9]));
        let (from, to) = (ints(&[2, 1, 0]), ints(&[3, 1, 1]));
        let sliced = slice(&matrices(), &[(&lower, &upper), (&from, &to)]).unwrap();
        assert_eq!(
            bounds_text(&sliced).iter().collect::<Vec<_>>(),
            [Some("[1:2][1:2]"), None, Some("[1:1][1:1]")]
        );
        let flat = flattened(sliced.as_list::<i32>());
        let values = flat.values().as_primitive::<Int32Type>();
        assert_eq!(values.values().to_vec(), [2, 3, 5, 6, 8]);
    }

    #[test]
    fn elements_are_the_innermost_values_in_order() {
        let flat = flattened(matrices().as_list::<i32>());
        assert_eq!(flat.value_offsets().to_vec(), [0, 6, 6, 8]);
        assert!(flat.is_null(1));
        assert_eq!(
            flat.value(2).as_primitive::<Int32Type>().values().to_vec(),
            [7, 8]
        );
    }
}
