#!/bin/bash
# Everything docs/PERFORMANCE.md's per-CPU table needs, on an idle machine, into one directory (default
# /tmp/bench-cpu): the machine, the engine against the PyTorch peer (two interleaved rounds, 2 threads), the engine
# with the AVX2-era choices (OpenBLAS Haswell core, AVX2/FMA decode kernel) on the same CPU beside PyTorch held to
# its AVX2 kernels (ATEN_CPU_CAPABILITY=avx2), the decode kernels alone, single-thread sgemm of OpenBLAS's cores
# and BLIS, the transport with each CRC32C implementation, and how raw nng over tcp:// loopback takes a few µs more
# per message on either side (scripts/nng_tcp_spin.c); then the targets they meet or miss (summary.md).
#
#   swift build -c release && scripts/bench_cpu.sh [OUT]
#
# Needs ~/.venvs/torch-peer (PyTorch from PyPI, see ../shared/bench/torch_peer.py) and, for the BLIS row,
# Debian's libblis-dev. Takes 3 minutes on two Zen 5 cores, more on older CPUs. OPENBLAS_CORETYPE is unset for our
# runs (as a user gets it: grpo-lambda picks the core) except where a row names the core.
set -euo pipefail
OUT=${1:-/tmp/bench-cpu}
mkdir -p "$OUT"
cd "$(dirname "$0")/.."
BENCH=.build/release/grpo-bench
PEER=${PEER:-$HOME/.venvs/torch-peer/bin/python}
PEER_SCRIPT=${PEER_SCRIPT:-../shared/bench/torch_peer.py}
ours() { env -u OPENBLAS_CORETYPE "$@"; }

ours .build/release/grpo-lambda machine > "$OUT/machine.json"
for round in 1 2; do
  "$PEER" "$PEER_SCRIPT" --config all --threads 2 --repeats 3 > "$OUT/torch.$round.json"
  ours $BENCH engine --config all --threads 2 --repeats 3 > "$OUT/ours.$round.json"
done
# The AVX2 configuration of both on this CPU: our AVX2-era choices, PyTorch restricted to its AVX2 kernels.
OPENBLAS_CORETYPE=Haswell GRPO_LAMBDA_DECODE_KERNEL=avx2-fma $BENCH engine --config small --threads 2 --repeats 3 > "$OUT/ours-avx2-choices.json"
ATEN_CPU_CAPABILITY=avx2 "$PEER" "$PEER_SCRIPT" --config small --threads 2 --repeats 3 > "$OUT/torch-avx2.json"
for kernel in avx2-fma avx512; do
  ours GRPO_LAMBDA_DECODE_KERNEL=$kernel $BENCH engine --config small --threads 2 --repeats 3 --only sample > "$OUT/sample-$kernel.json"
done
clang -O2 -I Sources/CKernels -o "$OUT/decode-kernels" scripts/decode_kernels.c && "$OUT/decode-kernels" > "$OUT/decode-kernels.txt"
cc -O2 -o "$OUT/sgemm-openblas" scripts/sgemm_compare.c -lopenblas
for core in Haswell SkylakeX; do
  OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=$core "$OUT/sgemm-openblas" "openblas-$core"
done > "$OUT/sgemm.jsonl"
if cc -O2 -o "$OUT/sgemm-blis" scripts/sgemm_compare.c -lblis 2>/dev/null; then
  BLIS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$OUT/sgemm-blis" blis >> "$OUT/sgemm.jsonl"
fi
for crc in pclmul vpclmul256 vpclmul; do
  ours GRPO_LAMBDA_CRC32C=$crc $BENCH transport --repeats 7 --sizes 262144 --sizes 4194304 --bytes-per-run 134217728 > "$OUT/transport-$crc.json"
done
# Raw nng with each side's per-message work: spins, and the CRC32C of the narrowest and (where the CPU has it) the
# widest path. Each tcp:// connection settles in a faster or slower mode; this shows what moves it on this host.
LOOPBACK_SETTINGS="none 2 4 6 8 crc128 none:crc128 crc128:crc128"
if grep -qw vpclmulqdq /proc/cpuinfo && grep -qw avx512f /proc/cpuinfo; then
  LOOPBACK_SETTINGS="$LOOPBACK_SETTINGS crc512 crc512:crc512"
fi
clang -O2 -I Sources/CCRC32C -o "$OUT/nng-tcp-spin" scripts/nng_tcp_spin.c -lnng -lpthread
# crc128 with the block split grpo-lambda timed fastest for the 128-bit path on this host ("fold F B + 3 × S B").
CRC128_SPLIT=$(python3 -c 'import json, re, sys
split = json.load(open(sys.argv[1]))["crc32c_block_splits"]["sse4.2+pclmul"]
print("%s:%s" % re.fullmatch(r"fold (\d+) B \+ 3 × (\d+) B", split).groups())' "$OUT/transport-pclmul.json")
CRC128_SPLIT=$CRC128_SPLIT "$OUT/nng-tcp-spin" 16 $LOOPBACK_SETTINGS > "$OUT/loopback.txt"
python3 scripts/bench_cpu_summary.py "$OUT" | tee "$OUT/summary.md"
echo "results in $OUT"
