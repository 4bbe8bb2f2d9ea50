#!/bin/sh
# Runs fuzz targets one after another for a bounded time each, on one core.
#   sh fuzz/run.sh SECONDS TARGET...
# Binaries come from $FUZZ_DIR (default build/fuzz); seeds from
# $FUZZ_DIR/seeds (fuzz/seeds.sh), new inputs are kept in
# $FUZZ_DIR/corpus/TARGET, crashes in $FUZZ_DIR/crashes/TARGET-*, logs in
# $FUZZ_DIR/logs/TARGET.log. Prints one line per target (executions,
# coverage) and exits 1 when any target crashed.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${FUZZ_DIR:-$root/build/fuzz}
secs=$1; shift
status=0
mkdir -p "$dir/corpus" "$dir/crashes" "$dir/logs"
printf '%-22s %10s %8s %8s %6s  %s\n' target execs cov ft corpus result
for t in "$@"; do
  mkdir -p "$dir/corpus/$t" "$dir/seeds/$t"
  log="$dir/logs/$t.log"
  bin="$dir/fuzz_$t"; [ -e "$dir/fuzz_lua_$t" ] && bin="$dir/fuzz_lua_$t"
  dict=""; [ -f "$root/fuzz/dicts/$t.dict" ] && dict="-dict=$root/fuzz/dicts/$t.dict"
  THEMATIC_ROOT=$root "$bin" -max_total_time="$secs" -timeout=25 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/crashes/$t-" \
    $dict ${FUZZ_FLAGS:-} "$dir/corpus/$t" "$dir/seeds/$t" > "$log" 2>&1
  rc=$?
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  cov=$(printf '%s' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
  ft=$(printf '%s' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
  corp=$(printf '%s' "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
  if [ $rc -eq 0 ]; then res=ok; else res="FAILED (rc $rc, see $log)"; status=1; fi
  printf '%-22s %10s %8s %8s %6s  %s\n' "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$res"
done
exit $status
