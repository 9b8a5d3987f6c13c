#!/usr/bin/python3
"""Times POT's exact ot.emd on the fixed-shares capacity problem the coarse harness wrote (issue 6 benchmark).

usage: dotnet run --project test/Microsoft.ML.Causal.Benchmarks -c Release -- harness coarse --pot-out /tmp/coarse
       /usr/bin/python3 test/Microsoft.ML.Causal.Benchmarks/coarse-vs-pot.py /tmp/coarse   (Debian python3-pot)
Cost = -profit, source masses 1/N, target masses count_k/N; the objective reported is N * sum(plan * profit), comparable
with the harness's 'fixed shares' profit. The data files are not committed.
"""
import sys, time
import numpy as np
import ot

prefix = sys.argv[1]
counts = np.array([int(c) for c in open(prefix + ".counts.txt").read().split()], dtype=np.float64)
k = len(counts)
profits = np.fromfile(prefix + ".profits.f64", dtype="<f8").reshape(-1, k)
n = profits.shape[0]
a = np.full(n, 1.0 / n)
b = counts / n
start = time.perf_counter()
plan = ot.emd(a, b, -profits, numItermax=100_000_000)
seconds = time.perf_counter() - start
print(f"POT {ot.__version__} ot.emd on {n} x {k}: {seconds:.3f} s, profit {n * float((plan * profits).sum()):.10g}")
