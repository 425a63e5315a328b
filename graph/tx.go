package graph

import (
	"entgo.io/contrib/entgql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/rollcall/rollcall/ent"
)

// noTx are the mutations that must not run inside the request's transaction: refreshCache and importBundle
// start work that writes through its own connections and transactions (on SQLite, a transaction held open by the request would block them
// until the request ends, which waits for them).
var noTx = map[string]bool{"refreshCache": true, "importBundle": true}

// newTransactioner runs every mutation on client in one transaction (all or nothing), except an operation
// made only of noTx mutations.
func newTransactioner(client *ent.Client) entgql.Transactioner {
	return entgql.Transactioner{TxOpener: client, SkipTxFunc: onlyNoTx}
}

func onlyNoTx(op *ast.OperationDefinition) bool {
	for _, sel := range op.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok || !noTx[f.Name] {
			return false
		}
	}
	return len(op.SelectionSet) > 0
}
