# keysweep in a container: docker build -t keysweep .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/src:ro" keysweep scan /src
# (as the owner of the repository: libgit2, like git, refuses a repository another user owns)
# The build stage makes the release exactly as scripts/release.sh does for the tarball (static
# binary); the runtime image holds only that binary and the CA certificates (for https clones)
# on a base with glibc, libstdc++ and busybox's shell (/busybox/sh; no package manager): the
# shell is what the Kubernetes recipe (deploy/kubernetes/) maps keysweep's exit status 1
# (findings) to success with. Each release pushes this image to ghcr.io
# (.github/workflows/release.yml): docker pull ghcr.io/OWNER/keysweep:VERSION
FROM swift:6.3-bookworm AS build
WORKDIR /src
COPY . .
RUN scripts/release.sh /dist \
    && mkdir /out \
    && tar -xzf /dist/keysweep-*-linux-*.tar.gz -C /out --strip-components=1

FROM gcr.io/distroless/cc-debian12:debug-nonroot
COPY --from=build /out/bin/keysweep /usr/local/bin/keysweep
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/keysweep"]
CMD ["scan", "/src"]
