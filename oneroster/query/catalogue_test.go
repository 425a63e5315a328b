package query

import (
	"strings"
	"testing"
)

func TestNewCatalogueRejects(t *testing.T) {
	str := func(name string) Field { return Field{Name: name, Type: TypeString, Use: AllUses} }
	tests := []struct {
		name   string
		fields []Field
		msg    string
	}{
		{"empty name", []Field{str("")}, "invalid field name"},
		{"bad char", []Field{str("a b")}, "invalid field name"},
		{"empty part", []Field{str("a..b")}, "invalid field name"},
		{"bare wildcard", []Field{str("*")}, "invalid field name"},
		{"inner wildcard", []Field{str("a.*.b")}, "invalid field name"},
		{"duplicate", []Field{str("a"), str("a")}, "declared twice"},
		{"no type", []Field{{Name: "a", Use: AllUses}}, "unknown type"},
		{"enum without values", []Field{{Name: "a", Type: TypeEnum, Use: AllUses}}, "need Values"},
		{"values on string", []Field{{Name: "a", Type: TypeString, Values: []string{"x"}, Use: AllUses}}, "need Values"},
		{"extensible string", []Field{{Name: "a", Type: TypeString, Extensible: true, Use: AllUses}}, "Extensible"},
		{"no use", []Field{{Name: "a", Type: TypeString}}, "no valid Use"},
		{"bad use", []Field{{Name: "a", Type: TypeString, Use: 1 << 6}}, "no valid Use"},
		{"sortable array", []Field{{Name: "a", Type: TypeString, Array: true, Use: Sortable}}, "cannot be Sortable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewCatalogue(tt.fields...)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("NewCatalogue = %v, want error containing %q", err, tt.msg)
			}
		})
	}
}

func TestCatalogueLookup(t *testing.T) {
	c := MustCatalogue(
		Field{Name: "metadata.*", Type: TypeString, Use: Filterable},
		Field{Name: "metadata.jp.*", Type: TypeString, Use: AllUses},
		Field{Name: "metadata.count", Type: TypeNumber, Use: Filterable},
		Field{Name: "name", Type: TypeString, Use: Selectable},
	)
	tests := []struct {
		path, want string // want "" means not found
	}{
		{"metadata.x", "metadata.*"},
		{"metadata.x.y.z", "metadata.*"},
		{"metadata.jp.kanaGivenName", "metadata.jp.*"},
		{"metadata.jp", "metadata.*"},
		{"metadata.count", "metadata.count"},
		{"metadata", ""},
		{"metadata.", ""},
		{"metadata..x", ""},
		{"metadataX.y", ""},
		{"name", "name"},
		{"Name", ""},
	}
	for _, tt := range tests {
		f, ok := c.Lookup(tt.path)
		if ok != (tt.want != "") || f.Name != tt.want {
			t.Errorf("Lookup(%q) = %q, %v, want %q", tt.path, f.Name, ok, tt.want)
		}
	}
	if _, ok := c.lookupFor("name", Filterable); ok {
		t.Error("name is not filterable")
	}
	if got := len(c.Fields()); got != 4 {
		t.Errorf("Fields() has %d entries, want 4", got)
	}
	var nilCat *Catalogue
	if _, ok := nilCat.Lookup("name"); ok || nilCat.Fields() != nil {
		t.Error("nil catalogue knows fields")
	}
}

func TestMustCataloguePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustCatalogue did not panic")
		}
	}()
	MustCatalogue(Field{Name: "a"})
}
