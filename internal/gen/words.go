package gen

// Word lists of the reference generator (the performance kit's gen_corpus.py), kept
// verbatim (duplicates included): the vocabulary is drawn from them in order.

var functionWords = []string{
	"the", "of", "and", "to", "a", "in", "is", "that", "for", "it",
	"as", "was", "with", "be", "by", "on", "not", "he", "i", "this",
	"are", "or", "his", "from", "at", "which", "but", "have", "an", "they",
	"you", "were", "her", "she", "there", "been", "one", "all", "we", "their",
	"has", "would", "when", "if", "so", "no", "will", "more", "can", "out",
	"up", "into", "its", "about", "do", "than", "them", "some", "what", "only",
	"other", "new", "may", "could", "time", "these", "two", "then", "first", "any",
	"my", "now", "over", "such", "our", "like", "very", "after", "also", "made",
	"most", "many", "should", "where", "through", "well", "back", "much", "before", "how",
	"even", "because", "those", "just", "each", "while", "here", "both", "between", "own",
	"under", "same", "last", "another", "still", "never", "while", "us", "off", "without",
	"again", "against", "few", "again", "always", "however", "often", "yet", "around", "every",
	"since", "already", "though", "perhaps", "almost", "rather", "during",
}

var contentWords = []string{
	"server", "client", "network", "data", "file", "node", "peer", "protocol", "index", "search",
	"query", "performance", "latency", "bandwidth", "storage", "cache", "memory", "disk", "cluster", "container",
	"deploy", "release", "version", "library", "api", "request", "response", "browser", "video", "audio",
	"content", "hash", "block", "chain", "token", "wallet", "miner", "consensus", "gossip", "swarm",
	"tracker", "seed", "torrent", "magnet", "connection", "socket", "packet", "router", "relay", "signal",
	"stream", "chunk", "segment", "buffer", "codec", "encoder", "decoder", "player", "upload", "download",
	"mirror", "replica", "shard", "partition", "log", "queue", "worker", "thread", "process", "kernel",
	"system", "service", "daemon", "config", "option", "flag", "build", "test", "benchmark", "profile",
	"trace", "metric", "dashboard", "alert", "incident", "outage", "user", "account", "password", "key",
	"certificate", "encryption", "signature", "identity", "address", "port", "host", "domain", "website", "blog",
	"post", "article", "note", "draft", "tutorial", "guide", "example", "pattern", "design", "architecture",
	"model", "schema", "table", "column", "row", "record", "field", "value", "type", "function",
	"method", "class", "object", "interface", "struct", "module", "package", "import", "export", "compile",
	"runtime", "compiler", "language", "program", "code", "source", "commit", "branch", "merge", "review",
	"issue", "bug", "fix", "feature", "patch", "update", "upgrade", "migration", "backup", "restore",
	"snapshot", "archive", "compression", "format", "parser", "lexer", "token", "grammar", "syntax", "error",
	"warning", "failure", "retry", "timeout", "deadline", "limit", "quota", "rate", "throughput", "scale",
	"scaling", "load", "balance", "proxy", "gateway", "edge", "origin", "cdn", "region", "zone",
	"provider", "cloud", "machine", "instance", "image", "volume", "network", "layer", "stack", "transport",
	"session", "handshake", "frame", "message", "event", "callback", "handler", "listener", "channel", "pipeline",
	"stage", "job", "task", "schedule", "cron", "batch", "stream", "event", "reader", "writer",
	"tool", "script", "shell", "terminal", "editor", "plugin", "extension", "framework", "engine", "runtime",
	"project", "team", "community", "developer", "maintainer", "contributor", "license", "document", "page", "link",
	"reference", "question", "answer", "problem", "solution", "approach", "idea", "reason", "result", "number",
	"amount", "size", "count", "ratio", "speed", "cost", "price", "market", "network", "open",
	"simple", "small", "large", "fast", "slow", "good", "better", "best", "great", "little",
	"old", "big", "high", "low", "long", "short", "easy", "hard", "different", "important",
	"possible", "public", "private", "local", "remote", "global", "secure", "safe", "free", "available",
	"modern", "current", "early", "late", "recent", "common", "real", "full", "whole", "work",
	"make", "use", "find", "give", "take", "look", "want", "need", "try", "call",
	"keep", "start", "show", "hear", "play", "run", "move", "live", "believe", "bring",
	"happen", "write", "provide", "sit", "stand", "lose", "pay", "meet", "include", "continue",
	"set", "learn", "change", "lead", "understand", "watch", "follow", "stop", "create", "speak",
	"read", "allow", "add", "spend", "grow", "open", "walk", "win", "offer", "remember",
	"love", "consider", "appear", "buy", "wait", "serve", "die", "send", "expect", "stay",
	"fall", "cut", "reach", "kill", "remain", "suggest", "raise", "pass", "sell", "require",
	"report", "decide", "pull",
}

var nonASCII = []string{
	"café", "naïve", "résumé", "über", "Müller", "Zürich", "São Paulo", "日本語", "東京", "データ",
	"検索", "🚀", "✨", "👍", "🎉", "señor", "façade", "Ångström", "λ-calculus", "Δt",
	"Straße", "crème brûlée", "Ελληνικά", "Привет", "naïveté", "coöperate", "Dvořák", "Łódź",
}

var topicTags = []string{
	"p2p", "ipfs", "filecoin", "blockchain", "webrtc", "bittorrent", "streaming",
}

var otherTags = []string{
	"go", "rust", "javascript", "python", "databases", "search", "networking", "security", "devops", "linux",
	"privacy", "cryptography", "performance", "tutorial", "release-notes", "opinion", "web", "testing", "kubernetes", "open-source",
	"hardware", "music", "travel", "career", "book-review",
}

var firstNames = []string{
	"Alice", "Bob", "Carol", "Dave", "Eve", "Frank", "Grace", "Heidi", "Ivan", "Judy",
	"Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter", "José",
	"Zoë", "Søren", "Chloé", "Jürgen", "Ana", "Kenji", "Mei", "Amara", "Noor", "Ravi",
}

var lastNames = []string{
	"Smith", "Jones", "Müller", "García", "Nakamura", "Okafor", "Kowalski", "Dubois", "Rossi", "Novak",
	"Larsen", "Silva", "Chen", "Patel", "O'Brien", "Ivanova",
}

var sylOnset = []string{
	"", "", "b", "c", "d", "f", "g", "h", "j", "k",
	"l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
	"br", "cl", "cr", "dr", "fl", "gr", "pl", "pr", "sh", "st",
	"str", "th", "tr", "ch", "sp", "sl", "qu", "bl", "gl", "sn",
	"sw", "wh", "",
}

var sylVowel = []string{
	"a", "e", "i", "o", "u", "ai", "ea", "ee", "oo", "ou",
	"io", "ie", "y", "au", "oa",
}

var sylCoda = []string{
	"", "", "", "", "", "", "n", "r", "l", "s",
	"t", "m", "nd", "nt", "st", "ck", "ng", "rt", "x", "ll",
	"ss", "mp", "rk",
}

var suffixes = []string{
	"", "", "", "", "s", "ing", "ed", "er", "ers", "ly",
	"tion", "tions", "ment", "ness", "able", "ity", "ize", "ized", "izing", "al",
	"ous", "ive", "ful", "less",
}

// topicTerms are the archive's own vocabulary with their relative weights.
var topicTerms = []struct {
	form   string
	weight int
}{
	{"p2p", 10},
	{"P2P", 3},
	{"peer to peer", 6},
	{"peer-to-peer", 6},
	{"Filecoin", 5},
	{"IPFS", 7},
	{"ipfs", 2},
	{"blockchain", 7},
	{"webRTC", 3},
	{"WebRTC", 5},
	{"BitTorrent", 5},
	{"streaming", 8},
	{"distributed hash table", 2},
	{"content addressing", 2},
	{"NAT traversal", 2},
	{"proof of storage", 1},
	{"live streaming", 2},
	{"video streaming", 2},
	{"peer discovery", 2},
	{"magnet link", 1},
	{"smart contract", 2},
	{"libp2p", 2},
	{"DHT", 2},
	{"CID", 1},
	{"STUN server", 1},
	{"TURN relay", 1},
	{"seeders and leechers", 1},
}
