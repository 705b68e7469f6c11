//! Row heights as a Fenwick tree over row positions: a row's offset, the row
//! under a scroll position and one row's new height all cost O(log n), so a
//! list of 100,000 rows lays out as cheaply as one of 100.

/// The heights of `len` rows, most of them estimated, some measured.
#[derive(Clone, Debug)]
pub struct RowHeights {
    /// 1-based Fenwick tree: `tree[i]` sums rows `(i - lowbit(i), i]`.
    tree: Vec<f64>,
    heights: Vec<f64>,
}

fn lowbit(i: usize) -> usize {
    i & i.wrapping_neg()
}

impl Default for RowHeights {
    fn default() -> Self {
        Self::uniform(0, 0.0)
    }
}

impl RowHeights {
    /// `len` rows, each `height` tall; O(n).
    pub fn uniform(len: usize, height: f64) -> Self {
        let tree = std::iter::once(0.0).chain((1..=len).map(|i| lowbit(i) as f64 * height)).collect();
        Self { tree, heights: vec![height; len] }
    }

    /// How many rows there are.
    pub fn len(&self) -> usize {
        self.heights.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.heights.is_empty()
    }

    /// Row `index`'s height.
    pub fn height(&self, index: usize) -> Option<f64> {
        self.heights.get(index).copied()
    }

    /// Sets row `index`'s height; out of range does nothing.
    pub fn set(&mut self, index: usize, height: f64) {
        let Some(old) = self.heights.get_mut(index) else { return };
        let delta = height - *old;
        *old = height;
        let mut i = index + 1;
        while i < self.tree.len() {
            self.tree[i] += delta;
            i += lowbit(i);
        }
    }

    /// Adds a row at the end; O(log n).
    pub fn push(&mut self, height: f64) {
        let i = self.heights.len() + 1;
        // Node i sums rows (i - lowbit(i), i]: the new row plus rows already here.
        let node = height + self.offset(i - 1) - self.offset(i - lowbit(i));
        self.heights.push(height);
        self.tree.push(node);
    }

    /// Keeps the first `len` rows; nodes of earlier rows never cover later ones.
    pub fn truncate(&mut self, len: usize) {
        self.heights.truncate(len);
        self.tree.truncate(len + 1);
    }

    /// The total height of the rows before `index` (all of them past the end).
    pub fn offset(&self, index: usize) -> f64 {
        let mut i = index.min(self.len());
        let mut sum = 0.0;
        while i > 0 {
            sum += self.tree[i];
            i -= lowbit(i);
        }
        sum
    }

    /// The height of all rows.
    pub fn total(&self) -> f64 {
        self.offset(self.len())
    }

    /// The row that covers `y` (the last row past the end, 0 when empty).
    pub fn row_at(&self, y: f64) -> usize {
        let len = self.len();
        let mut position = 0;
        let mut remaining = y;
        let mut step = len.checked_next_power_of_two().map_or(0, |p| if p > len { p / 2 } else { p });
        while step > 0 {
            let next = position + step;
            if next <= len && self.tree[next] <= remaining {
                position = next;
                remaining -= self.tree[next];
            }
            step /= 2;
        }
        position.min(len.saturating_sub(1))
    }
}

// Native only: proptest is not a wasm dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use proptest::prelude::*;

    use super::RowHeights;

    fn naive_offset(heights: &[f64], index: usize) -> f64 {
        heights[..index.min(heights.len())].iter().sum()
    }

    proptest! {
        #[test]
        fn agrees_with_summing_every_row(
            len in 0usize..300,
            changes in proptest::collection::vec((0usize..320, 1u16..400), 0..60),
            probes in proptest::collection::vec(0u32..40_000, 1..20),
        ) {
            // Built half at once and half row by row, then cut back, to cover all three.
            let mut rows = if len % 3 == 0 { RowHeights::default() } else { RowHeights::uniform(len / 2, 64.0) };
            while rows.len() < len + 7 {
                rows.push(64.0);
            }
            rows.truncate(len);
            let mut model = vec![64.0; len];
            for (index, height) in changes {
                rows.set(index, f64::from(height));
                if let Some(slot) = model.get_mut(index) {
                    *slot = f64::from(height);
                }
            }
            for index in 0..=len + 1 {
                prop_assert!((rows.offset(index) - naive_offset(&model, index)).abs() < 1e-6);
            }
            for y in probes {
                let y = f64::from(y);
                let row = rows.row_at(y);
                if len == 0 {
                    prop_assert_eq!(row, 0);
                } else if y >= naive_offset(&model, len) {
                    prop_assert_eq!(row, len - 1);
                } else {
                    prop_assert!(naive_offset(&model, row) <= y && y < naive_offset(&model, row + 1));
                }
            }
        }
    }

    #[test]
    fn builds_a_hundred_thousand_rows_by_position() {
        let mut rows = RowHeights::uniform(100_000, 50.0);
        assert_eq!(rows.total(), 5_000_000.0);
        rows.set(0, 150.0);
        assert_eq!(rows.offset(1), 150.0);
        assert_eq!(rows.row_at(150.0), 1);
        assert_eq!(rows.row_at(149.0), 0);
        assert_eq!(rows.row_at(5_100_000.0), 99_999);
        assert_eq!(rows.height(100_000), None);
    }
}
