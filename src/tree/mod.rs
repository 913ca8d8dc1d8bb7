//! Decision trees (CART): `DecisionTreeClassifier`.
