#!/usr/bin/python3
"""EconML's DRLearner recipe with scikit-learn's histogram boosting, timed on one CSV (issue 4 speed benchmark).

EconML itself cannot be installed on this machine (PyPI is refused), but scikit-learn 1.2.1 — the version
peer-baselines.md's EconML 0.15.1 rows ran on — is. This script performs the steps EconML's DRLearner performs with
the models peer-baselines.md names (HistGradientBoosting defaults for model_propensity, model_regression and
model_final), written here from the method, not from EconML's code:

  1. K folds stratified by the treatment (EconML's default cv = 2; the issue's benchmark uses 5).
  2. Per fold, on the other folds: a classifier of W on X (propensity) and one regressor of Y on [X, W] (EconML fits
     the outcome on the features and the one-hot treatment); on the fold: e(x) clipped to [1e-6, 1 - 1e-6]
     (EconML's min_propensity) and mu_w(x) = regressor at [x, w] for w = 0, 1.
  3. Pseudo-outcomes psi = mu_1 - mu_0 + W (Y - mu_1) / e - (1 - W)(Y - mu_0) / (1 - e).
  4. A final regressor of psi on X; tau(x) = its prediction.

Usage: dr-sklearn.py TRAIN.csv TEST.csv FOLDS [THREADS]. The CSVs have columns x1..xp, w, y, tau (written by
`harness cate-csv`). Prints one line: fitS=..., fitCpuS=... (CPU seconds of all threads), predictS=..., rmse=..., peakMb=... (fit excludes reading the CSV).
"""
import os
import sys

threads = sys.argv[4] if len(sys.argv) > 4 else "2"
os.environ["OMP_NUM_THREADS"] = threads  # scikit-learn's histogram boosting parallelizes with OpenMP

import resource
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.model_selection import StratifiedKFold


def read(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return data[:, :-3], data[:, -3], data[:, -2], data[:, -1]


def fit_dr(x, w, y, folds, seed=0):
    n = len(y)
    e = np.empty(n)
    mu0 = np.empty(n)
    mu1 = np.empty(n)
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, held in split.split(x, w):
        propensity = HistGradientBoostingClassifier(random_state=seed).fit(x[train], w[train])
        e[held] = propensity.predict_proba(x[held])[:, 1]
        outcome = HistGradientBoostingRegressor(random_state=seed).fit(np.column_stack([x[train], w[train]]), y[train])
        mu0[held] = outcome.predict(np.column_stack([x[held], np.zeros(len(held))]))
        mu1[held] = outcome.predict(np.column_stack([x[held], np.ones(len(held))]))
    e = np.clip(e, 1e-6, 1 - 1e-6)
    psi = mu1 - mu0 + w * (y - mu1) / e - (1 - w) * (y - mu0) / (1 - e)
    return HistGradientBoostingRegressor(random_state=seed).fit(x, psi)


def main():
    x, w, y, _ = read(sys.argv[1])
    x_test, _, _, tau_test = read(sys.argv[2])
    folds = int(sys.argv[3])
    start, cpu = time.perf_counter(), time.process_time()
    final = fit_dr(x, w, y, folds)
    fit, fit_cpu = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    tau = final.predict(x_test)
    predict = time.perf_counter() - start
    rmse = float(np.sqrt(np.mean((tau - tau_test) ** 2)))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"fitS={fit:.2f} fitCpuS={fit_cpu:.2f} predictS={predict:.3f} rmse={rmse:.4f} peakMb={peak:.0f}")


main()
