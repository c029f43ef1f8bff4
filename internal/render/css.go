package render

import (
	"bytes"
	"fmt"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
)

// The chroma themes for code blocks. Both use the same class names, so one
// highlighted page follows the reader's colour scheme.
const (
	lightStyle = "github"
	darkStyle  = "github-dark"
)

// mustChromaCSS builds the code stylesheet once, in New.
func mustChromaCSS() []byte {
	css, err := chromaCSS()
	if err != nil {
		panic(err)
	}
	return css
}

func chromaCSS() ([]byte, error) {
	light, err := styleCSS(lightStyle)
	if err != nil {
		return nil, err
	}
	dark, err := styleCSS(darkStyle)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString("/* Code highlighting (chroma " + lightStyle + " / " + darkStyle + "). */\n")
	buf.Write(light)
	buf.WriteString("@media (prefers-color-scheme: dark) {\n")
	// Classes the dark theme leaves out would keep the light theme's dark
	// text on the dark background; they inherit the code's colour instead.
	buf.WriteString(".chroma [class] { color: inherit; background-color: transparent }\n")
	buf.Write(dark)
	buf.WriteString("}\n")
	return buf.Bytes(), nil
}

func styleCSS(name string) ([]byte, error) {
	style, ok := styles.Registry[name]
	if !ok {
		return nil, fmt.Errorf("render: chroma style %q is not registered", name)
	}
	var buf bytes.Buffer
	if err := chromahtml.New(chromahtml.WithClasses(true)).WriteCSS(&buf, style); err != nil {
		return nil, fmt.Errorf("render: chroma css for %q: %w", name, err)
	}
	return buf.Bytes(), nil
}
