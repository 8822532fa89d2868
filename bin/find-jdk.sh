# Sourced by ./natalia, ./run-tests and .ci/run. Sets NATALIA_JAVA_HOME to a JDK 21 or newer:
# JAVA_HOME first, then the JDK that runs `java` on the PATH, then the usual JVM folders.
# Prints one sentence and returns 1 when none exists.

natalia_jdk_major() {
  # Prints the feature release of the JDK in folder $1 (17, 21, 25, ...), or nothing.
  local release="$1/release" version
  [[ -x "$1/bin/java" && -x "$1/bin/javac" && -f "$release" ]] || return 0
  version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  printf '%s' "$version"
}

natalia_find_jdk() {
  local candidate major on_path=""
  if command -v java >/dev/null 2>&1; then
    on_path=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  fi
  for candidate in "${JAVA_HOME:-}" "$on_path" \
      /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [[ -n "$candidate" && -d "$candidate" ]] || continue
    major=$(natalia_jdk_major "$candidate")
    if [[ -n "$major" && "$major" -ge 21 ]]; then
      NATALIA_JAVA_HOME="$candidate"
      export NATALIA_JAVA_HOME
      return 0
    fi
  done
  echo "natalia: no JDK 21 or newer found (looked at JAVA_HOME, the java on PATH and" \
    "/usr/lib/jvm); install one, for example 'apt-get install openjdk-21-jdk' or Temurin 21+," \
    "and set JAVA_HOME to it." >&2
  return 1
}
