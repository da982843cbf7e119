# keysweep in a container: docker build -t keysweep .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/src:ro" keysweep scan /src
# (as the owner of the repository: libgit2, like git, refuses a repository another user owns)
# The build stage makes the release exactly as scripts/release.sh does for the tarball (static
# binary); the runtime image holds only that binary and the CA certificates (for https clones)
# on a base with glibc and libstdc++ and nothing else (no shell, no package manager).
FROM swift:6.3-bookworm AS build
WORKDIR /src
COPY . .
RUN scripts/release.sh /dist \
    && mkdir /out \
    && tar -xzf /dist/keysweep-*-linux-*.tar.gz -C /out --strip-components=1

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/bin/keysweep /usr/local/bin/keysweep
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/keysweep"]
CMD ["scan", "/src"]
