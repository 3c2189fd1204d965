# Sourced by ./painters and .ci/run: environment for ND4J's native code on this machine.
#
# ND4J 1.0.0-M2.1 bundles OpenBLAS 0.3.19, which predates AMD Zen4 and falls back to a generic
# kernel there (~20-30 GFLOP/s on one core instead of ~110). Its AVX-512 kernel (SKYLAKEX) is
# correct on any CPU with AVX-512 F/BW/DQ/VL/CD, so select it when those flags are present and
# the user has not chosen a core type. Elsewhere OpenBLAS's own detection stays in charge.
if [[ -z "${OPENBLAS_CORETYPE:-}" && -r /proc/cpuinfo ]]; then
  _flags="$(grep -m1 '^flags' /proc/cpuinfo || true)"
  _ok=1
  for _f in avx512f avx512bw avx512dq avx512vl avx512cd; do
    [[ " $_flags " == *" $_f "* ]] || _ok=0
  done
  if [[ $_ok == 1 ]]; then
    export OPENBLAS_CORETYPE=SKYLAKEX
  fi
  unset _flags _ok _f
fi
# OpenMP: no more threads than cores, and no spinning (it doubled CPU time on shared cores).
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
