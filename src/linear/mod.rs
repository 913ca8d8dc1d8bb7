//! Linear models: `LogisticRegression` and its L-BFGS solver.
