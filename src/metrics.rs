//! Classification metrics: accuracy, log loss, precision/recall/F1, confusion matrix, hamming loss.
