import Testing
@testable import KeySweep

/// Rule hygiene at scale: rules do not report each other's examples unless one is declared more
/// specific, and no rule costs far more than the others on the same large text.
@Suite struct RuleHygieneTests {
    static let rules = RuleExampleTests.rules

    /// Every other rule reporting a secret overlapping one of `index`'s secrets in `text`.
    static func overlapping(_ index: Int, in text: String) -> Set<Int> {
        let scanner = ContentScanner(rules: rules, options: ScanOptions())
        var bytes = Array(text.utf8)
        let found = bytes.withUnsafeMutableBytes { scanner.matches(in: UnsafeRawBufferPointer($0)) }.filter { !$0.isPlaceholder }
        let own = found.filter { $0.rule == index }.map { $0.offset..<($0.offset + $0.secret.utf8.count) }
        return Set(found.filter { match in
            match.rule != index && own.contains { $0.overlaps(match.offset..<(match.offset + match.secret.utf8.count)) }
        }.map(\.rule))
    }

    /// The registry of provider modules is keyed by `provider`: one spelling per provider
    /// ("New Relic", not also "Newrelic"), so a module never misses rules spelled another way.
    @Test func everyRuleSpellsItsProviderTheOneWay() {
        for rule in Self.rules.rules where !rule.provider.isEmpty {
            #expect(ProviderName.normalised(rule.provider) == rule.provider, "\(rule.id): provider \(rule.provider)")
        }
    }

    /// One spelling per provider, even in case ("DigitalOcean", never also "Digitalocean").
    @Test func providersDifferInMoreThanCase() {
        let names = Set(Self.rules.rules.map(\.provider).filter { !$0.isEmpty })
        let byLower = Dictionary(grouping: names, by: { $0.lowercased() })
        for (_, spellings) in byLower where spellings.count > 1 { Issue.record("one provider spelled \(spellings.sorted())") }
    }

    /// A provider is the product or a plain label the plan can head steps with, never the rule
    /// id's first word capitalised ("Php", "Mail", "Connection", "Login", "Git"): the names
    /// below are products that are spelled so.
    @Test func noProviderIsARuleIDFragment() {
        let products: Set<String> = [
            "Slack", "Stripe", "Heroku", "Docker", "Django", "Rails", "Laravel", "Firefox", "Gradle", "Yandex",
            "Vault", "Generic", "Twilio", "Okta", "Sentry", "Datadog", "Algolia", "Confluent", "Razorpay", "Twitch",
            "Square", "Plaid", "Figma", "Dropbox", "Discord", "Airtable", "Asana", "Braintree", "Netlify", "Vercel",
            "Supabase", "Grafana", "Snyk", "Salesforce", "Atlassian", "Telegram", "Shopify", "Mailchimp", "Mailgun",
            "Mailjet", "Mapbox", "Linear", "Notion", "Postman", "Postmark", "Pulumi", "Prefect", "Render", "Replicate",
            "Rollbar", "Scalingo", "Shippo", "Splunk", "Sourcegraph", "Tailscale", "Terraform", "Typeform", "Doppler",
            "Dynatrace", "Duffel", "Contentful", "Cohere", "Clojars", "Buildkite", "Bugsnag", "Axiom", "Anthropic",
            "Databricks", "Deepgram", "Groq", "Harness", "Honeycomb", "Infracost", "Infisical", "Lob", "Mollie",
            "Neon", "Cloudflare", "Database", "Opsgenie", "Packagist", "Perplexity", "Pinecone", "Cerebras", "Fastly", "Flutterwave", "Kubernetes",
            "Sidekiq", "Particle", "Blynk", "Apify", "Alchemy", "Tableau", "Eventbrite", "Mattermost", "Coveralls",
            "Authress", "Adobe", "Segment",
        ]
        for rule in Self.rules.rules where !rule.provider.isEmpty {
            let word = rule.id.split(separator: "-").first.map(String.init) ?? rule.id
            let fragment = word.prefix(1).uppercased() + word.dropFirst()
            #expect(rule.provider != fragment || products.contains(rule.provider),
                    "\(rule.id): provider \(rule.provider) is the rule id's first word; name the product or what the password opens")
        }
    }

    @Test(arguments: rules.rules.indices)
    func noOtherRuleReportsAnExampleUnlessDeclared(_ index: Int) {
        let rule = Self.rules.rules[index]
        for example in rule.examples {
            for other in Self.overlapping(index, in: example) {
                let otherRule = Self.rules.rules[other]
                #expect(rule.isMoreSpecific(than: otherRule) || otherRule.isMoreSpecific(than: rule),
                        "\(otherRule.id) also reports \(rule.id)'s example (declare more_specific_than): \(example)")
            }
        }
    }

    @Test func moreSpecificRuleReplacesTheOtherInTheLedger() throws {
        // Two rules of the same confidence find the same value: only the declared one stays.
        let text = """
            [[rule]]
            id = "wide"
            regex = 'tok_(?<secret>[a-z0-9]{12})'
            keywords = ["tok_"]
            examples = ["tok_abc123def456"]
            [[rule]]
            id = "narrow"
            regex = 'tok_(?<secret>abc[a-z0-9]{9})'
            keywords = ["tok_abc"]
            more_specific_than = ["wide"]
            examples = ["tok_abc123def456"]
            """
        let set = try RuleSet(files: [(name: "t/rules.toml", text: text)])
        let ledger = Ledger(rules: set)
        let scanner = ContentScanner(rules: set, options: ScanOptions())
        var bytes = Array("x = tok_abc123def456".utf8)
        let found = bytes.withUnsafeMutableBytes { scanner.matches(in: UnsafeRawBufferPointer($0)) }
        #expect(Set(found.map { set.rules[$0.rule].id }) == ["wide", "narrow"])
        for match in found {
            ledger.record(match, at: Occurrence(commit: nil, provenance: .file(path: "a"), line: match.line), inHead: true)
        }
        #expect(ledger.findings().map(\.rule.id) == ["narrow"])
    }

    @Test func moreSpecificThanAnUnknownRuleIsAnError() {
        let text = """
            [[rule]]
            id = "narrow"
            regex = 'x'
            more_specific_than = ["nowhere"]
            examples = ["x"]
            """
        #expect(throws: RuleSet.LoadError.self) { try RuleSet(files: [(name: "t/rules.toml", text: text)]) }
    }

    /// A fixed large text: code-like filler lines from a fixed pseudo-random sequence, with every
    /// rule's examples and counter-examples spread through it (so every rule's keywords occur
    /// and its regex runs, as in a repository full of near-misses).
    static let largeText: [UInt8] = {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let words = ["let", "value", "config", "return", "import", "func", "self", "path", "name", "id", "user",
                     "data", "index", "count", "string", "error", "result", "file", "options", "build", "test"]
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-".utf8)
        let samples = rules.rules.flatMap { $0.examples + $0.counterExamples }
        var out: [UInt8] = []
        out.reserveCapacity(4 << 20)
        var line = 0
        while out.count < 4 << 20 {
            line += 1
            if line % 40 == 0 {
                out += Array(samples[Int(next()) % samples.count].utf8)
            } else {
                let n = 2 + Int(next() % 6)
                for i in 0..<n {
                    if i > 0 { out.append(next() % 3 == 0 ? UInt8(ascii: "=") : UInt8(ascii: " ")) }
                    if next() % 5 == 0 {
                        for _ in 0..<(8 + Int(next() % 40)) { out.append(alphabet[Int(next()) % alphabet.count]) }
                    } else {
                        out += Array(words[Int(next()) % words.count].utf8)
                    }
                }
            }
            out.append(0x0A)
        }
        return out
    }()

    /// Seconds a rule set of `rule` alone (its keywords, window and regex) takes to search
    /// `text`, best of five.
    static func seconds(of rule: Rule, on text: [UInt8]) throws -> Double {
        var alone = rule
        alone.pairs = []
        alone.moreSpecificThan = []
        let matcher = Matcher(rules: try RuleSet(rules: [alone]), maxCandidates: Int.max)
        var best = Double.infinity
        var candidates: [Candidate] = []
        for _ in 0..<5 {
            candidates.removeAll(keepingCapacity: true)
            let start = MonotonicClock.seconds()
            text.withUnsafeBytes { matcher.candidates(in: $0, into: &candidates) }
            best = min(best, MonotonicClock.seconds() - start)
        }
        return best
    }

    @Test func noRuleCostsFarMoreThanTheOthers() throws {
        // Relative, not a wall clock: what each rule adds to a keyword scan of the same text (a
        // rule whose keyword never occurs), against what the rules add on average, so a slow
        // machine or a busy core moves every figure together.
        let idle = try RuleSet.parse("[[rule]]\nid = \"idle\"\nregex = 'x'\nkeywords = [\"~~never~~\"]\nexamples = [\"x\"]", file: "idle.toml")[0]
        var scan = Double.infinity
        var total: [(id: String, seconds: Double)] = []
        for (number, rule) in Self.rules.rules.enumerated() {
            // The keyword scan alone, measured all along: the least of it is what no rule adds.
            if number % 8 == 0 { scan = min(scan, try Self.seconds(of: idle, on: Self.largeText)) }
            total.append((rule.id, try Self.seconds(of: rule, on: Self.largeText)))
        }
        let costs = total.map { (id: $0.id, seconds: max($0.seconds - scan, 0)) }
        let mean = max(costs.map(\.seconds).reduce(0, +) / Double(costs.count), 1e-6)
        let top = costs.sorted { $0.seconds > $1.seconds }.prefix(8)
            .map { "\($0.id) \(String(format: "%.1f", $0.seconds / mean))x" }.joined(separator: ", ")
        print("rule cost on \(Self.largeText.count >> 20) MiB: keyword scan \(Int(scan * 1e3)) ms, mean rule \(Int(mean * 1e6)) us; most costly: \(top)")
        for (id, seconds) in costs {
            // An outlier (a regex unanchored to its keywords, a backtracking one) stands far out.
            #expect(seconds <= 30 * mean || seconds <= 0.05 * scan, "\(id) costs \(Int(seconds / mean))x the mean rule")
        }
    }
}
