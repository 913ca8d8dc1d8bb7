//! The smallest tour of proba: build a sparse feature matrix and look at it.
//! (Grows with the crate: vectorize, fit, predict.)

use proba::prelude::*;

fn main() -> Result<()> {
    let x = CsrMatrix::new(2, 3, vec![0, 2, 3], vec![0, 2, 1], vec![1.0, 2.0, 3.0])?;
    println!(
        "{} x {} matrix with {} stored values",
        x.n_rows(),
        x.n_cols(),
        x.nnz()
    );
    println!("{}", x.to_dense());
    Ok(())
}
