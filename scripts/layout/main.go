// Command layout reports the shape of the source tree, so a change to the
// layout can be judged by figures before and after it: lines per package
// (code and tests apart), exported identifiers per package, the longest
// functions with their cyclomatic complexity, and the imports between the
// project's own packages.
//
//	go run ./scripts/layout [-top 10] [-over-lines 60] [-over-complexity 15]
//
// Cyclomatic complexity is counted as gocyclo does: one, plus one for each
// if, for, range, non-default case, select case, && and ||.
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

type function struct {
	name       string // package.Receiver.Name
	pos        string
	lines      int
	complexity int
}

type pkgFigures struct {
	codeLines, testLines, files int
	exported                    int
	imports                     map[string]bool
}

func main() {
	top := flag.Int("top", 10, "how many of the longest functions to list")
	overLines := flag.Int("over-lines", 60, "list every non-test function longer than this")
	overComplexity := flag.Int("over-complexity", 15, "list every non-test function more complex than this")
	flag.Parse()
	module, err := modulePath("go.mod")
	if err != nil {
		fmt.Fprintln(os.Stderr, "layout: run it from the repository root:", err)
		os.Exit(1)
	}
	pkgs, funcs, err := walk(".", module)
	if err != nil {
		fmt.Fprintln(os.Stderr, "layout:", err)
		os.Exit(1)
	}
	report(pkgs, funcs, module, *top, *overLines, *overComplexity)
}

func modulePath(gomod string) (string, error) {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "module "); ok {
			return strings.TrimSpace(rest), nil
		}
	}
	return "", fmt.Errorf("%s: no module line", gomod)
}

func walk(root, module string) (map[string]*pkgFigures, []function, error) {
	pkgs := map[string]*pkgFigures{}
	var funcs []function
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// Nested modules (scripts/relevance) are tools of their own.
			if path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || exists(filepath.Join(path, "go.mod"))) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return fmt.Errorf("parse %s: %w", path, err)
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		p := pkgs[dir]
		if p == nil {
			p = &pkgFigures{imports: map[string]bool{}}
			pkgs[dir] = p
		}
		lines := fset.File(file.Pos()).LineCount()
		test := strings.HasSuffix(path, "_test.go")
		p.files++
		if test {
			p.testLines += lines
		} else {
			p.codeLines += lines
			p.exported += exportedNames(file)
			for _, imp := range file.Imports {
				ip, _ := strconv.Unquote(imp.Path.Value)
				if ip == module || strings.HasPrefix(ip, module+"/") {
					p.imports[strings.TrimPrefix(strings.TrimPrefix(ip, module), "/")] = true
				}
			}
		}
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil || test {
				continue
			}
			start, end := fset.Position(fn.Pos()), fset.Position(fn.End())
			funcs = append(funcs, function{
				name:       funcName(dir, fn),
				pos:        fmt.Sprintf("%s:%d", path, start.Line),
				lines:      end.Line - start.Line + 1,
				complexity: complexity(fn),
			})
		}
		return nil
	})
	return pkgs, funcs, err
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func exportedNames(file *ast.File) int {
	n := 0
	for _, decl := range file.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Name.IsExported() && (d.Recv == nil || receiverExported(d)) {
				n++
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if s.Name.IsExported() {
						n++
					}
				case *ast.ValueSpec:
					for _, name := range s.Names {
						if name.IsExported() {
							n++
						}
					}
				}
			}
		}
	}
	return n
}

func receiverExported(fn *ast.FuncDecl) bool {
	name := receiverName(fn)
	return name != "" && ast.IsExported(name)
}

func receiverName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return ""
	}
	t := fn.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

func funcName(dir string, fn *ast.FuncDecl) string {
	name := fn.Name.Name
	if r := receiverName(fn); r != "" {
		name = r + "." + name
	}
	return filepath.Base(dir) + "." + name
}

func complexity(fn *ast.FuncDecl) int {
	c := 1
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.IfStmt, *ast.ForStmt, *ast.RangeStmt:
			c++
		case *ast.CaseClause:
			if x.List != nil {
				c++
			}
		case *ast.CommClause:
			if x.Comm != nil {
				c++
			}
		case *ast.BinaryExpr:
			if x.Op == token.LAND || x.Op == token.LOR {
				c++
			}
		}
		return true
	})
	return c
}

func report(pkgs map[string]*pkgFigures, funcs []function, module string, top, overLines, overComplexity int) {
	dirs := make([]string, 0, len(pkgs))
	for d := range pkgs {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	fmt.Println("## Lines per package")
	fmt.Printf("%-24s %6s %6s %6s %8s\n", "package", "files", "code", "tests", "exported")
	var code, tests int
	for _, d := range dirs {
		p := pkgs[d]
		code += p.codeLines
		tests += p.testLines
		fmt.Printf("%-24s %6d %6d %6d %8d\n", d, p.files, p.codeLines, p.testLines, p.exported)
	}
	fmt.Printf("%-24s %6s %6d %6d\n", "total", "", code, tests)

	fmt.Printf("\n## The %d longest functions (tests left out)\n", top)
	sort.Slice(funcs, func(i, j int) bool {
		if funcs[i].lines != funcs[j].lines {
			return funcs[i].lines > funcs[j].lines
		}
		return funcs[i].name < funcs[j].name
	})
	fmt.Printf("%5s %4s  %-40s %s\n", "lines", "cyc", "function", "at")
	for i, f := range funcs {
		if i == top {
			break
		}
		fmt.Printf("%5d %4d  %-40s %s\n", f.lines, f.complexity, f.name, f.pos)
	}
	fmt.Printf("\n## Functions over %d lines or cyclomatic %d\n", overLines, overComplexity)
	over := 0
	for _, f := range funcs {
		if f.lines > overLines || f.complexity > overComplexity {
			over++
			fmt.Printf("%5d %4d  %-40s %s\n", f.lines, f.complexity, f.name, f.pos)
		}
	}
	fmt.Printf("(%d)\n", over)

	fmt.Printf("\n## Imports between the packages of %s\n", module)
	for _, d := range dirs {
		var to []string
		for ip := range pkgs[d].imports {
			if ip == "" {
				ip = "."
			}
			to = append(to, ip)
		}
		sort.Strings(to)
		if len(to) > 0 {
			fmt.Printf("%-24s -> %s\n", d, strings.Join(to, ", "))
		}
	}
}
