package gen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// poster draws one post. It holds the post's own random stream, so post i
// is the same whatever else is generated and in whatever order.
type poster struct {
	v   *vocab
	rng *rand.Rand
	i   int
}

var topicCum = func() []float64 {
	out := make([]float64, len(topicTerms))
	s := 0.0
	for i, t := range topicTerms {
		s += float64(t.weight)
		out[i] = s
	}
	return out
}()

func (p *poster) intn(lo, hi int) int    { return lo + p.rng.IntN(hi-lo+1) } // inclusive
func (p *poster) pick(s []string) string { return s[p.rng.IntN(len(s))] }

func (p *poster) zipfWord() string {
	cum := p.v.cum
	x := p.rng.Float64() * cum[len(cum)-1]
	hi := len(cum) - 1
	return p.v.words[sort.Search(hi, func(i int) bool { return cum[i] > x })]
}

func (p *poster) topicTerm() string {
	x := p.rng.Float64() * topicCum[len(topicCum)-1]
	return topicTerms[sort.Search(len(topicCum)-1, func(i int) bool { return topicCum[i] > x })].form
}

// sentence is n words drawn by rank, salted with topic terms (at
// topicRate), non-ASCII words, emphasis, inline code and sometimes a link.
func (p *poster) sentence(n int, topicRate float64, linkOK bool, others []string) string {
	toks := make([]string, n)
	for j := range toks {
		toks[j] = p.zipfWord()
	}
	for j := range toks {
		x := p.rng.Float64()
		switch {
		case x < topicRate:
			toks[j] = p.topicTerm()
		case x < topicRate+0.002:
			toks[j] = p.pick(nonASCII)
		case x < topicRate+0.006:
			toks[j] = "**" + toks[j] + "**"
		case x < topicRate+0.010:
			toks[j] = "*" + toks[j] + "*"
		case x < topicRate+0.012:
			toks[j] = "`" + toks[j] + "()`"
		}
	}
	if linkOK && n > 6 && p.rng.Float64() < 0.25 {
		a := p.rng.IntN(n - 3)
		b := a + p.intn(1, 3)
		var url string
		if p.rng.Float64() < 0.5 {
			url = fmt.Sprintf("https://example.%s/%s/%s", p.pick([]string{"com", "org", "net", "io"}),
				p.pick(p.v.titlePool), p.pick(p.v.titlePool))
		} else {
			url = "/posts/" + p.pick(others)
		}
		link := "[" + strings.Join(toks[a:b], " ") + "](" + url + ")"
		toks = append(toks[:a], append([]string{link}, toks[b:]...)...)
	}
	return upperFirst(strings.Join(toks, " ")) + p.pick([]string{".", ".", ".", ".", ".", "?", "!", ":"})
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func (p *poster) codeBlock() string {
	lang := p.pick([]string{"go", "go", "js", "bash", "python", "yaml"})
	a, b, c := p.pick(p.v.titlePool), p.pick(p.v.titlePool), p.pick(p.v.titlePool)
	var body string
	switch lang {
	case "go":
		body = fmt.Sprintf("func %s%s(ctx context.Context, %s string) error {\n"+
			"\tpeers, err := dht.FindPeers(ctx, %q)\n"+
			"\tif err != nil {\n\t\treturn fmt.Errorf(\"%s: %%w\", err)\n\t}\n"+
			"\tfor _, p := range peers {\n\t\tlog.Printf(\"peer %%s %s\", p.ID)\n\t}\n"+
			"\treturn nil\n}", upperFirst(a), upperFirst(b), c, a, b, c)
	case "js":
		body = fmt.Sprintf("const pc = new RTCPeerConnection({ iceServers: [{ urls: 'stun:%s.example.org' }] });\n"+
			"pc.ondatachannel = (e) => console.log('%s', e.channel.label);\n"+
			"const %s = await fetch('/api/search?q=%s').then(r => r.json());", a, b, c, a)
	case "bash":
		body = fmt.Sprintf("ipfs add -r ./%s\n"+
			"curl -s 'http://localhost:8080/api/search?q=%s' | jq '.hits[0]'\n"+
			"go test ./... -run Test%s", a, b, upperFirst(c))
	case "python":
		body = fmt.Sprintf("def %s_%s(items):\n    \"\"\"Return the %s of each item.\"\"\"\n"+
			"    return [hash(x) %% 1024 for x in items if x]\n", a, b, c)
	default:
		body = fmt.Sprintf("%s:\n  enabled: true\n  peers: 32\n  %s: %q\n  bootstrap:\n    - /dnsaddr/%s.example.net", a, b, c, c)
	}
	return "```" + lang + "\n" + body + "\n```"
}

func (p *poster) title(topical bool) string {
	ws := make([]string, p.intn(3, 8))
	for j := range ws {
		ws[j] = p.pick(p.v.titlePool)
	}
	if topical && p.rng.Float64() < 0.7 {
		at := p.rng.IntN(len(ws) + 1)
		ws = append(ws[:at], append([]string{p.topicTerm()}, ws[at:]...)...)
	}
	if p.rng.Float64() < 0.03 {
		ws = append(ws, p.pick(nonASCII))
	}
	t := strings.Join(ws, " ")
	if p.rng.Float64() < 0.15 {
		extra := make([]string, p.intn(2, 4))
		for j := range extra {
			extra[j] = p.pick(p.v.titlePool)
		}
		t += ": " + strings.Join(extra, " ")
	}
	return upperFirst(t)
}

// tags gives 1–4 tags; about half the posts carry a topic tag, and
// popularity within each pool is Pareto-skewed.
func (p *poster) tags() []string {
	n := []int{1, 2, 2, 3, 3, 4}[p.rng.IntN(6)]
	var tags []string
	for len(tags) < n {
		pool := otherTags
		if p.rng.Float64() < 0.30 {
			pool = topicTags
		}
		var t string
		if p.rng.Float64() < 0.6 {
			k := int(math.Pow(1-p.rng.Float64(), -1/1.2)) - 1
			t = pool[min(k, len(pool)-1)]
		} else {
			t = p.pick(pool)
		}
		if !contains(tags, t) {
			tags = append(tags, t)
		}
	}
	return tags
}

func contains(s []string, x string) bool {
	for _, e := range s {
		if e == x {
			return true
		}
	}
	return false
}

// body writes 800–2,000 prose words in paragraphs, lists and quotes, with
// headings between blocks and fenced code.
func (p *poster) body(topical bool, topicRate float64, others []string) string {
	target := p.intn(800, 2000)
	written := 0
	var out []string
	for written < target {
		if len(out) > 0 && p.rng.Float64() < 0.35 {
			level := "###"
			if p.rng.Float64() < 0.7 {
				level = "##"
			}
			hw := make([]string, p.intn(2, 6))
			for j := range hw {
				hw[j] = p.pick(p.v.titlePool)
			}
			h := strings.Join(hw, " ")
			if topical && p.rng.Float64() < 0.3 {
				h += " " + p.topicTerm()
			}
			out = append(out, level+" "+upperFirst(h))
		}
		switch kind := p.rng.Float64(); {
		case kind < 0.08:
			items := make([]string, p.intn(2, 6))
			for j := range items {
				n := p.intn(4, 14)
				items[j] = "- " + p.sentence(n, topicRate, true, others)
				written += n
			}
			out = append(out, strings.Join(items, "\n"))
		case kind < 0.12:
			n := p.intn(10, 30)
			out = append(out, "> "+p.sentence(n, topicRate, false, others))
			written += n
		case kind < 0.20:
			out = append(out, p.codeBlock())
		default:
			sents := make([]string, p.intn(2, 7))
			for j := range sents {
				n := p.intn(6, 28)
				sents[j] = p.sentence(n, topicRate, true, others)
				written += n
			}
			out = append(out, strings.Join(sents, " "))
		}
	}
	return strings.Join(out, "\n\n") + "\n"
}

var epoch = time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)

func (p *poster) post() (slug string, text []byte) {
	tags := p.tags()
	topical := false
	for _, t := range tags {
		topical = topical || contains(topicTags, t)
	}
	topicRate := 0.001
	if topical {
		topicRate = 0.025
	}
	title := p.title(topical)
	slug = strings.Trim(truncate(slugify(title), 60), "-") + fmt.Sprintf("-%d", p.i)
	others := make([]string, 3)
	for j := range others {
		others[j] = fmt.Sprintf("%s-%d", p.pick(p.v.titlePool), p.rng.IntN(max(p.i, 1)))
	}
	date := epoch.AddDate(0, 0, p.rng.IntN(16*365))
	author := p.pick(firstNames) + " " + p.pick(lastNames)
	summary := p.sentence(p.intn(12, 28), topicRate, false, others)
	body := p.body(topical, topicRate, others)
	var b strings.Builder
	b.Grow(len(body) + 512)
	fmt.Fprintf(&b, "---\ntitle: %s\ndate: %s\nauthor: %s\ntags: [%s]\nsummary: %s\nslug: %s\n---\n\n",
		yamlStr(title), date.Format("2006-01-02"), yamlStr(author), strings.Join(tags, ", "), yamlStr(summary), slug)
	b.WriteString(body)
	return slug, []byte(b.String())
}

func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
			dash = false
		} else if b.Len() > 0 && !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		return "post"
	}
	return out
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func yamlStr(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}
