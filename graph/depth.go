package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// MaxDepth bounds how deeply a query nests fields. A Relay connection costs three levels (field, edges,
// node), so this allows users → enrollments → class → school with room to spare. Introspection fields
// (__schema, __type) do not count: GraphiQL's introspection query nests type references deeply.
const MaxDepth = 15

// depthLimit refuses operations nested deeper than Max before anything is resolved.
type depthLimit struct{ Max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }
func (d depthLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if n := depth(oc.Operation.SelectionSet, oc.Doc.Fragments, 0, map[string]bool{}); n > d.Max {
		return gqlerror.Errorf("the query nests %d levels deep; the limit is %d: split it into several queries", n, d.Max)
	}
	return nil
}

// depth is the deepest field nesting of set; fragment spreads are followed (once per path, so a cycle, which
// validation refuses anyway, cannot loop).
func depth(set ast.SelectionSet, frags ast.FragmentDefinitionList, level int, seen map[string]bool) int {
	deepest := level
	for _, sel := range set {
		n := level
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue
			}
			n = depth(s.SelectionSet, frags, level+1, seen)
		case *ast.InlineFragment:
			n = depth(s.SelectionSet, frags, level, seen)
		case *ast.FragmentSpread:
			f := frags.ForName(s.Name)
			if f == nil || seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			n = depth(f.SelectionSet, frags, level, seen)
			delete(seen, s.Name)
		default:
			panic(fmt.Sprintf("graph: unknown selection %T", sel))
		}
		deepest = max(deepest, n)
	}
	return deepest
}
