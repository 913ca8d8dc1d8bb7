//! Labels to class codes: the one encoder every model uses.

/// Training labels as codes into the sorted, distinct classes (scikit-learn's
/// `np.unique(y, return_inverse=True)`).
pub(crate) struct Encoded<L> {
    /// The distinct labels, sorted.
    pub classes: Vec<L>,
    /// For each row, the index of its label in `classes`.
    pub y: Vec<u32>,
}

/// Sorts the rows by label once and numbers the labels as they change, so
/// every row gets its code without a search that could miss.
pub(crate) fn encode<L: Ord + Clone>(y: &[L]) -> Encoded<L> {
    let mut order: Vec<usize> = (0..y.len()).collect();
    order.sort_by(|&a, &b| y[a].cmp(&y[b]));
    let mut classes: Vec<L> = Vec::new();
    let mut codes = vec![0u32; y.len()];
    for &i in &order {
        if classes.last() != Some(&y[i]) {
            classes.push(y[i].clone());
        }
        codes[i] = (classes.len() - 1) as u32;
    }
    Encoded { classes, y: codes }
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn codes_index_the_sorted_distinct_labels() {
        let e = encode(&["b", "a", "c", "a", "b"]);
        assert_eq!(e.classes, ["a", "b", "c"]);
        assert_eq!(e.y, [1, 0, 2, 0, 1]);
        let empty = encode::<i64>(&[]);
        assert!(empty.classes.is_empty() && empty.y.is_empty());
    }
}
