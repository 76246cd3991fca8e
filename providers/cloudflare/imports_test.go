package cloudflare_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// sdkRoot is the SDK's root package: importing it compiles every Cloudflare
// service (over a hundred packages) into the binary and the build.
const sdkRoot = "github.com/cloudflare/cloudflare-go/v6"

// TestNoSDKRootImport: no Go file of the module, tests included, imports
// the SDK's root package; the service packages (dns, zones, option) are
// what the provider uses.
func TestNoSDKRootImport(t *testing.T) {
	root := filepath.Join("..", "..")
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (name == "testdata" || name == "vendor" || name[0] == '.' || name[0] == '_') {
				return filepath.SkipDir
			}
			return nil
		}
		if filepath.Ext(path) != ".go" {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == sdkRoot {
				t.Errorf("%s imports %s; use its service packages (dns, zones, option)", fset.Position(imp.Pos()), sdkRoot)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
