import Foundation

/// Fixed repositories for the report tests: fixed secrets, authors and dates, so the same
/// commits (and the same report) come out of every run.
enum ReportFixture {
    /// A 1.7 KB RSA private key block (made-up body).
    static let pem = """
        -----BEGIN RSA PRIVATE KEY-----
        MIIEowIBAAKCAQEAFPZyslShNh0piNpnCZJZO6xJM1CM2y4mU0dNaxYRR/N6A69P
        9/v2XAfLD7w5OhQ8k5zlV74mnFJan1M7I75CW3jJKQV3k7OZ8I2TBxlFtgahoHDj
        aIZl7Rphnk29HcTF6OMh7wpqvX4qM50FuLo3u6uFlhjLcyEVV8NLE3FRpfEjYSfl
        P4QJ5nzctNehRs6c5mH4PYI/Qxj+s5G2DcnfNz1RdT6X9Ljz4IAeKif+Uyh72CRM
        W2Ci+qfnXJmDPJGL6IELw+nvrjTPHFuXOr+tg7NaEVixoCa+JD+dWXVxVIYgNV+1
        aJ3sYoTYBFhn27XIzD5gj5xoM9QyTGybeMKsS9yvN9FSC9Uq+4TjQkqn+xlzxCdZ
        uVYBQElJsr9vz069IItuTZkTuiw/rXptE27jK4Kp/ERbuRz4hoWf+DV7aojnAv3Q
        oRWO4EjtgmjhRJuuB1mk4X86dr/lHevPu5If66TMh3z3VOOrOarTSx/mreT68/BO
        Q00FLKaoqsW3eYWz4W94J587c5ND+fTvutA4mX9o6YmPd5/2stoRP9c9uCVYKyy1
        AtXLGuc+zuNmbrLD4ivNNomRLgZnOO/lL9A+CBkOZm0+MGYBaSnk4vltiaIw73SK
        a0Y48OuA0xSmWPpTk6QQQZy/q8hnvdcydcqWpvvy0YNlRmorVdMaf33apEFpvmkb
        /VRsA6fqQlwsRx1iAjiOKKZH6rzXbsRWi0NrJfIC99b+W5W4Uwta35cXbRn5BiR8
        jLSl3s+dyZcyXfXWblQiStmKq64WUhbK3aZfzABL+WkymFQg2NS03qvPB9kTjftm
        405M6VUDcgb1NB564wIIiU6I5Jrm4fqU6aYCgRuTd+5lm3aU5wo1Prr4y6RQ+A1K
        EiBvCkOCir78vRm56qfoqQ8PrlcCuC2+GkA17uUQzehoQEA9/A7LGrHtFxd1PZXk
        jXbQdyNh7fU0e89j6TVchnVV2oQSZxpxlyrc4vz1D3PJOSvRI6pNB87U1H9ajtvh
        kG1YlLkkN16dn1gm0xWHPAbRoK4P9bQHtiRQt3POO7iofry0h1SykI/W8O3Dy3/b
        IsUrF7gUSdM9D9kXZDm/lZcen322QEAh5QfWO1eU3BK32RRwfFhaFnjbb153Qak/
        82uf2ULGQAp23vgC6Sn2eYDHT9nCPlepNlJcxhEcmCvjkEZ83LBCjX1y9pQCj5Dq
        hWhc5nBqUENwVuS10a148m8y480G47kfAhJzEWUEubgs2Hjwn4kvwyFSzYDDLYoS
        Eh4JN5GrIp3DwGoq65LL62SQMl+L7T/3++wIYdjTb/LQU+VmTVH+9OnKtegSKnzT
        7ObU+Y57gFYPkR8y6AZ76PsBGSM8PZK16XOUcNDJKKFQl0ZRRh3sfEcXULQbQ8Lx
        ufmz/U6FTVv1mFZLz/UF70h1VU7TIeNZUV3MiDmidKm49XLNqthIXDjKfVf4qMgY
        5UQmHSpxBMak3279Jz5hnUff/FkJBd8iSrH9vcbS2WRN5p7a3y7T3QePyXYpavJj
        TSgDqY31omsfibe/nT7hYpCOV/5VumN3fGNA3IDST2Szqer6oU0gSZnhFTYloVZa
        LXvUXTHsNP9ZvGgQIZPdmZWhgh5grGXvReDt2Obi==
        -----END RSA PRIVATE KEY-----
        """
    /// An STS session token of 418 characters (the aws-session-token rule's example).
    static let sessionToken = "IQoJb3JpZ2luX2VjlARUsRJlNONwktN9ugkZeESG61she/QAqq0nv3Vth1Ls6v6+O9JL8ZsoWw/Rxl+IUiTeNUJ+HLRwb8GPJ7KTSJS0Sw5UQsvzU9Kk1v1MIdzu4xCxf8CvgroOx9ye17SWjAEVaSZJ0oVeMmLRLTq10V7suW9zrlSaWnPsPW23C/L9WXuHM/G1cON+Ks9dp4FLfrYb9JF8eF+ItKL/8pcqMKRLd7SUqeaG6nyb229X8YzL7iMa3K8Nsv9/Qt2giDIkidQ2iZ+gppCorL4txx0uiBfnWjJhpZrb3lO++TVhrLtLCHiEGKrEV6XwqcRkelp6EX79PndXgt2Cok+BrWTELQSXWrTL3UeBxYimeexzzf+9Sa28M2P77mytujVX8tGoJuKEe9eSVOhc68tp=="

    /// Four commits by three people: a complete AWS key pair (later removed from HEAD), a
    /// private key (tagged v1.0), a temporary key with its session token, a GitHub token.
    static func repository() throws -> GitRepo {
        let repo = try GitRepo()
        try repo.commit("add credentials", ["config/credentials": Secrets.credentials()])
        repo.authorName = "Bob Byte"
        repo.authorEmail = "bob@example.org"
        try repo.commit("deploy key", ["deploy/id_rsa": pem + "\n"])
        try repo.git(["tag", "v1.0"])
        try repo.commit("session", ["ci/session.env": "AWS_ACCESS_KEY_ID=\(Secrets.temporaryKeyID)\nAWS_SECRET_ACCESS_KEY=\(Secrets.secretKey2)\nAWS_SESSION_TOKEN=\(sessionToken)\n"])
        repo.authorName = "Carol Commit"
        repo.authorEmail = "carol@example.org"
        try repo.commit("token, and the credentials go", [".github/token": "GITHUB_TOKEN=\(Secrets.githubToken)\n"], remove: ["config/credentials"])
        return repo
    }
}
