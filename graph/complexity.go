package graph

import (
	"reflect"

	"entgo.io/contrib/entgql"

	"github.com/rollcall/rollcall/graph/generated"
)

// DefaultPageSize is the page size a connection is charged for when the query names neither first nor last.
const DefaultPageSize = 100

// connectionComplexity fills in, for every Relay connection field of the schema, a complexity function that
// charges what the connection selects times the page size asked for (first or last). gqlgen's default
// charges one per field, which would let a nested query fetch millions of rows for a few points.
//
// Connection fields are recognised by their generated signature: (childComplexity int, after *Cursor,
// first *int, before *Cursor, last *int, ...).
func connectionComplexity() generated.ComplexityRoot {
	var root generated.ComplexityRoot
	cursor := reflect.TypeOf((*entgql.Cursor[int])(nil))
	intPtr := reflect.TypeOf((*int)(nil))
	rv := reflect.ValueOf(&root).Elem()
	for i := 0; i < rv.NumField(); i++ {
		obj := rv.Field(i)
		for j := 0; j < obj.NumField(); j++ {
			f := obj.Field(j)
			ft := f.Type()
			if ft.Kind() != reflect.Func || ft.NumIn() < 5 ||
				ft.In(1) != cursor || ft.In(2) != intPtr || ft.In(3) != cursor || ft.In(4) != intPtr {
				continue
			}
			f.Set(reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
				n := DefaultPageSize
				for _, a := range []reflect.Value{args[2], args[4]} { // first, last
					if !a.IsNil() {
						n = int(a.Elem().Int())
					}
				}
				n = max(n, 1)
				return []reflect.Value{reflect.ValueOf(1 + int(args[0].Int())*n)}
			}))
		}
	}
	return root
}
