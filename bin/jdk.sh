# Sourced by .ci/run and usable by hand (`source bin/jdk.sh`): points JAVA_HOME at a JDK 21 or newer,
# keeping one already set, else the newest under /usr/lib/jvm (Temurin 25 on these machines).
_twt_java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" || "$(_twt_java_major "$JAVA_HOME")" -lt 21 ]]; then
  for _twt_jdk in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    _twt_jdk="${_twt_jdk%/}"
    if [[ -x "$_twt_jdk/bin/java" && "$(_twt_java_major "$_twt_jdk")" -ge 21 ]]; then
      export JAVA_HOME="$_twt_jdk"
      break
    fi
  done
fi
[[ -n "${JAVA_HOME:-}" && "$(_twt_java_major "$JAVA_HOME")" -ge 21 ]] || { echo "no JDK 21+ found; set JAVA_HOME" >&2; return 1 2>/dev/null || exit 1; }
