package schema

// Section is the stored form of render.Section: short keys keep the
// stored field small, since it is loaded with every hit.
type Section struct {
	Heading string `json:"h,omitempty"`
	Anchor  string `json:"a,omitempty"`
	Start   int    `json:"s"`
}
