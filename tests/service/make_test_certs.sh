#!/usr/bin/env bash
# Makes a throw-away CA, a server certificate for 127.0.0.1/localhost and a
# client certificate, valid for one day, in DIR.  Usage: make_test_certs.sh DIR
set -euo pipefail
cd "$1"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1" 2>/dev/null; }
key ca.key
openssl req -x509 -new -key ca.key -out ca.crt -days 1 -subj "/CN=divcheck test CA" 2>/dev/null
for who in server client; do
  key "$who.key"
  openssl req -new -key "$who.key" -out "$who.csr" -subj "/CN=divcheck test $who" 2>/dev/null
  if [ "$who" = server ]; then
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$who.ext"
  else
    printf 'extendedKeyUsage=clientAuth\n' > "$who.ext"
  fi
  openssl x509 -req -in "$who.csr" -CA ca.crt -CAkey ca.key -CAcreateserial \
    -out "$who.crt" -days 1 -extfile "$who.ext" 2>/dev/null
done
# A second CA that signed nothing the server trusts.
key other.key
openssl req -x509 -new -key other.key -out other.crt -days 1 -subj "/CN=other CA" 2>/dev/null
key stranger.key
openssl req -new -key stranger.key -out stranger.csr -subj "/CN=stranger" 2>/dev/null
printf 'extendedKeyUsage=clientAuth\n' > stranger.ext
openssl x509 -req -in stranger.csr -CA other.crt -CAkey other.key -CAcreateserial \
  -out stranger.crt -days 1 -extfile stranger.ext 2>/dev/null
