# Sourced by scripts that need Debian packages (the benches' PyTorch references): `twt_need_debs PKG...`
# installs, with apt, those of the packages that are not installed yet (through `sudo -n` when not root).
twt_need_debs() {
  local missing=() pkg as_root=()
  (( EUID == 0 )) || as_root=(sudo -n)
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    echo "installing ${missing[*]}" >&2
    "${as_root[@]}" apt-get update -qq \
      && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  fi
}
