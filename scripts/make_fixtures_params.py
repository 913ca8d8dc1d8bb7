#!/usr/bin/env python3
"""Which parameter settings scikit-learn itself refuses: each case is fitted
on tiny data and recorded as accepted or refused (with the exception's
class and message), for tests/api/params.rs to hold proba's errors to
the same verdicts. Cases where proba refuses on purpose what scikit-learn
accepts carry "differs" with the reason (the crate docs list them too).

Usage: python3 scripts/make_fixtures_params.py  (writes tests/fixtures/params/verdicts.json)
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "tests", "fixtures", "params", "verdicts.json")

TEXTS = ["the cat sat", "the dog sat", "a cat ran", "the bird flew"]
X = np.array([[0.0, 1.0], [1.0, 0.0], [0.2, 0.9], [0.9, 0.1], [0.5, 0.5], [0.1, 0.8]])
Y = np.array(["a", "b", "a", "b", "b", "a"])

# (case name, estimator factory, what it is fitted on, differs-reason or None)
CASES = [
    ("lr_c_0", lambda: LogisticRegression(C=0.0), "xy", None),
    ("lr_c_neg", lambda: LogisticRegression(C=-1.0), "xy", None),
    ("lr_c_inf", lambda: LogisticRegression(C=float("inf")), "xy",
     "C must be finite in proba: scikit-learn's C=inf (no penalty) is not implemented"),
    ("lr_tol_neg", lambda: LogisticRegression(tol=-1.0), "xy", None),
    ("lr_tol_0", lambda: LogisticRegression(tol=0.0), "xy", None),
    ("lr_max_iter_0", lambda: LogisticRegression(max_iter=0), "xy",
     "max_iter 0 would return the all-zero start; proba refuses it"),
    ("lr_class_weight_unknown", lambda: LogisticRegression(class_weight={"zz": 2.0}), "xy", None),
    ("lr_class_weight_balanced", lambda: LogisticRegression(class_weight="balanced"), "xy", None),
    ("tfidf_min_df_0", lambda: TfidfVectorizer(min_df=0), "texts", None),
    ("tfidf_min_df_frac_0", lambda: TfidfVectorizer(min_df=0.0), "texts", None),
    ("tfidf_max_df_1_5", lambda: TfidfVectorizer(max_df=1.5), "texts", None),
    ("tfidf_min_df_1_5", lambda: TfidfVectorizer(min_df=1.5), "texts", None),
    ("tfidf_min_above_max", lambda: TfidfVectorizer(min_df=3, max_df=1), "texts", None),
    ("tfidf_ngram_2_1", lambda: TfidfVectorizer(ngram_range=(2, 1)), "texts", None),
    ("tfidf_ngram_0_1", lambda: TfidfVectorizer(ngram_range=(0, 1)), "texts",
     "an n-gram size of 0 is refused; scikit-learn then counts the empty string as a term"),
    ("tfidf_max_features_0", lambda: TfidfVectorizer(max_features=0), "texts", None),
    ("tfidf_max_features_1", lambda: TfidfVectorizer(max_features=1), "texts", None),
    ("tfidf_stop_words_English", lambda: TfidfVectorizer(stop_words="English"), "texts", None),
    ("count_strip_accents_bogus", lambda: CountVectorizer(strip_accents="bogus"), "texts", None),
    ("count_analyzer_bogus", lambda: CountVectorizer(analyzer="bogus"), "texts", None),
    ("rf_n_estimators_0", lambda: RandomForestClassifier(n_estimators=0), "xy", None),
    ("rf_max_depth_0", lambda: RandomForestClassifier(max_depth=0), "xy", None),
    ("rf_min_samples_split_1", lambda: RandomForestClassifier(min_samples_split=1), "xy", None),
    ("rf_min_samples_leaf_0", lambda: RandomForestClassifier(min_samples_leaf=0), "xy", None),
    ("rf_max_features_0", lambda: RandomForestClassifier(max_features=0), "xy", None),
    ("rf_max_features_1_5", lambda: RandomForestClassifier(max_features=1.5), "xy", None),
    ("rf_max_samples_0", lambda: RandomForestClassifier(max_samples=0), "xy", None),
    ("rf_max_samples_1_5", lambda: RandomForestClassifier(max_samples=1.5), "xy", None),
    ("rf_max_samples_without_bootstrap",
     lambda: RandomForestClassifier(bootstrap=False, max_samples=0.5), "xy", None),
    ("rf_oob_without_bootstrap", lambda: RandomForestClassifier(bootstrap=False, oob_score=True), "xy", None),
    ("rf_min_impurity_decrease_neg", lambda: RandomForestClassifier(min_impurity_decrease=-1.0), "xy", None),
    ("dt_balanced_subsample", lambda: DecisionTreeClassifier(class_weight="balanced_subsample"), "xy", None),
    ("dt_class_weight_unknown", lambda: DecisionTreeClassifier(class_weight={"zz": 2.0}), "xy", None),
]


def main():
    verdicts = {}
    for name, make, data, differs in CASES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                est = make()
                est.fit(TEXTS) if data == "texts" else est.fit(X, Y)
                verdict = {"refused": False}
            except Exception as e:  # noqa: BLE001 - the verdict is the point
                verdict = {"refused": True, "error": type(e).__name__, "message": str(e)[:200]}
        if differs:
            verdict["differs"] = differs
        verdicts[name] = verdict
    out = {
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__},
        "cases": verdicts,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    for k, v in verdicts.items():
        print(f"{k:36} {'refused' if v['refused'] else 'accepted'}  {v.get('error', '')}")


if __name__ == "__main__":
    main()
