#!/usr/bin/env bash
# Chart benchmark (issue 7): render a 30-day chart of 4 parameters from minute data (4 x 43,200
# samples, generated in memory) as PNG and SVG, through the same ChartRenderer that
# `mailops report chart` uses; prints the first (cold JVM) and warm times and the sizes.
# Goals: PNG < 300 ms, SVG < 1 MB.
#
# The probe is reporting/src/test/java/io/mailops/reporting/chart/ChartBenchProbe.java, run with
# `java -cp` over the compiled classes and the dependency classpath (no JUnit involved).
#
# Usage: bench/report-chart.sh [RUNS] [WIDTH HEIGHT]   (default 10 runs, 960x360)
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out/report-chart
mkdir -p "$out"
if [[ ! -f reporting/target/test-classes/io/mailops/reporting/chart/ChartBenchProbe.class
      || -n $(find reporting/src -newer reporting/target/test-classes/io/mailops/reporting/chart/ChartBenchProbe.class \
              -name '*.java' -print -quit) ]]; then
  ./mvnw -o -q -B -pl reporting -am test-compile
fi
./mvnw -o -q -B -pl reporting dependency:build-classpath -Dmdep.outputFile="$PWD/$out/classpath.txt" >/dev/null
cp="reporting/target/test-classes:reporting/target/classes:storage-tools/target/classes:$(cat "$out/classpath.txt")"
echo "bench: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
java -Djava.awt.headless=true -cp "$cp" io.mailops.reporting.chart.ChartBenchProbe "$@"
