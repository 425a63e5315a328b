package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/rollcall/rollcall/graph"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

func TestQueryOrgsWithFiltersOrderAndTotalCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := db.Client
		d := c.Org.Create().SetSourcedID("d1").SetName("District").SetType("district").SaveX(ctx)
		for i, name := range []string{"Oak", "Birch", "Ash", "Élan"} {
			c.Org.Create().SetSourcedID(fmt.Sprintf("s%d", i)).SetName(name).SetType("school").SetParent(d).SaveX(ctx)
		}
		gql := client.New(graph.NewHandler(graph.Deps{Client: c}))
		var resp struct {
			Orgs struct {
				TotalCount int
				Edges      []struct {
					Node struct{ SourcedID, Name string }
				}
			}
		}
		gql.MustPost(`{ orgs(first: 2, where: {type: "school"}, orderBy: {field: NAME}) {
			totalCount edges { node { sourcedID name } } } }`, &resp)
		if resp.Orgs.TotalCount != 4 {
			t.Errorf("totalCount = %d, want 4 schools", resp.Orgs.TotalCount)
		}
		var names []string
		for _, e := range resp.Orgs.Edges {
			names = append(names, e.Node.Name)
		}
		if strings.Join(names, ",") != "Ash,Birch" {
			t.Errorf("first two schools by name = %v, want Ash,Birch", names)
		}
	})
}

func TestNodeAndNestedConnections(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, "sqlite3")
	c := db.Client
	d := c.Org.Create().SetSourcedID("d1").SetName("District").SetType("district").SaveX(ctx)
	c.Org.Create().SetSourcedID("s1").SetName("Oak").SetType("school").SetParent(d).SaveX(ctx)
	gql := client.New(graph.NewHandler(graph.Deps{Client: c}))
	var resp struct {
		Node struct {
			Name     string
			Children struct{ TotalCount int }
		}
	}
	gql.MustPost(`query($id: ID!) { node(id: $id) { ... on Org { name children { totalCount } } } }`, &resp,
		client.Var("id", d.ID))
	if resp.Node.Name != "District" || resp.Node.Children.TotalCount != 1 {
		t.Errorf("node = %+v, want District with 1 child", resp.Node)
	}
}

func TestComplexityLimitRefusesHugeQueries(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	gql := client.New(graph.NewHandler(graph.Deps{Client: db.Client}))
	var resp map[string]any
	err := gql.Post(`{ users(first: 1000) { edges { node { enrollments(first: 1000) { edges { node { sourcedID } } } } } } }`, &resp)
	if err == nil || !strings.Contains(err.Error(), "complexity") {
		t.Fatalf("a query of a million rows: err = %v, want a complexity error", err)
	}
}
