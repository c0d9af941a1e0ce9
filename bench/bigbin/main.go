// Command bigbin is a big Go program that writes a small heap dump, for
// timing how long heapspurs takes to read a big program's DWARF (--types
// --program on a dump with few objects). It links much of the standard
// library: the functions in keep stay reachable with what they call, and
// the MethodByName call with a name the linker cannot know keeps the
// exported methods of every type converted to an interface (values, and
// the generated types in messages). Alone it links to about 21 MB;
// bench/run.sh adds messages.go, made by messages.awk (generated message
// types with methods, as API code is), to reach about 30 MB.
//
// Usage: bigbin DUMP
package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/bzip2"
	"compress/flate"
	"compress/gzip"
	"compress/lzw"
	"compress/zlib"
	"container/heap"
	"container/list"
	"container/ring"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/dsa"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/rc4"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"debug/buildinfo"
	"debug/dwarf"
	"debug/elf"
	"debug/gosym"
	"debug/macho"
	"debug/pe"
	"debug/plan9obj"
	"encoding/ascii85"
	"encoding/asn1"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/csv"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"encoding/xml"
	"expvar"
	"fmt"
	"go/ast"
	"go/build"
	"go/constant"
	"go/doc"
	"go/doc/comment"
	"go/format"
	"go/importer"
	"go/parser"
	"go/printer"
	"go/scanner"
	"go/token"
	"go/types"
	"hash/adler32"
	"hash/crc32"
	"hash/crc64"
	"hash/fnv"
	"hash/maphash"
	"html"
	htmltemplate "html/template"
	"image"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"index/suffixarray"
	"log"
	"log/syslog"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/http/cgi"
	"net/http/cookiejar"
	"net/http/fcgi"
	"net/http/httptest"
	"net/http/httptrace"
	"net/http/httputil"
	"net/http/pprof"
	"net/mail"
	"net/netip"
	"net/rpc"
	"net/rpc/jsonrpc"
	"net/smtp"
	"net/textproto"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"runtime/debug"
	rpprof "runtime/pprof"
	"runtime/trace"
	"testing"
	"testing/fstest"
	"testing/iotest"
	"testing/quick"
	textscanner "text/scanner"
	"text/tabwriter"
	"text/template"
	"time"
	"unicode/utf16"
)

// keep holds functions of many packages, so that they and what they call
// are linked in.
var keep = []interface{}{
	tar.NewReader, tar.NewWriter, zip.NewReader, zip.NewWriter, bzip2.NewReader, flate.NewReader,
	flate.NewWriter, gzip.NewReader, gzip.NewWriter, lzw.NewReader, zlib.NewReader, zlib.NewWriter,
	ecdsa.GenerateKey, ed25519.GenerateKey, rsa.GenerateKey, tls.Dial, tls.Listen, tls.X509KeyPair,
	x509.ParseCertificate, x509.CreateCertificate, sql.Open, dwarf.New, elf.Open, gosym.NewTable,
	macho.Open, pe.Open, plan9obj.Open, asn1.Marshal, asn1.Unmarshal, csv.NewReader, csv.NewWriter,
	gob.NewEncoder, gob.NewDecoder, json.Marshal, json.Unmarshal, json.NewDecoder, pem.Decode,
	xml.Marshal, xml.Unmarshal, xml.NewDecoder, expvar.NewMap, ast.Inspect, build.Import, doc.New,
	format.Source, importer.Default, parser.ParseFile, parser.ParseDir, printer.Fprint, types.NewPackage,
	(&types.Config{}).Check, htmltemplate.New, image.Decode, gif.Decode, gif.Encode, jpeg.Decode,
	jpeg.Encode, png.Decode, png.Encode, big.NewInt, big.NewFloat, big.NewRat, multipart.NewReader,
	http.ListenAndServe, http.Get, http.NewServeMux, cookiejar.New, httptest.NewServer,
	httputil.NewSingleHostReverseProxy, httputil.DumpRequest, pprof.Index, mail.ReadMessage,
	rpc.NewServer, rpc.Dial, jsonrpc.NewClient, jsonrpc.ServeConn, smtp.Dial, textproto.NewReader,
	exec.Command, regexp.MustCompile, rpprof.StartCPUProfile, template.New,
	heap.Init,
	list.New,
	ring.New,
	aes.NewCipher,
	cipher.NewGCM,
	des.NewCipher,
	dsa.GenerateKey,
	elliptic.P256,
	hmac.New,
	md5.Sum,
	rand.Read,
	rc4.NewCipher,
	sha1.Sum,
	sha256.Sum256,
	sha512.Sum512,
	(&pkix.Name{}).String,
	buildinfo.ReadFile,
	ascii85.Encode,
	base32.NewEncoding,
	base64.NewEncoding,
	binary.Read,
	hex.Dump,
	constant.MakeInt64,
	(&comment.Parser{}).Parse,
	(&scanner.Scanner{}).Init,
	adler32.Checksum,
	crc32.MakeTable,
	crc64.MakeTable,
	fnv.New64a,
	maphash.Bytes,
	html.EscapeString,
	draw.Draw,
	suffixarray.New,
	log.New,
	syslog.New,
	mime.TypeByExtension,
	quotedprintable.NewReader,
	cgi.Serve,
	fcgi.Serve,
	httptrace.WithClientTrace,
	netip.ParseAddr,
	url.Parse,
	signal.Notify,
	user.Current,
	filepath.Walk,
	trace.Start,
	testing.Benchmark,
	fstest.TestFS,
	iotest.TestReader,
	quick.Check,
	(&textscanner.Scanner{}).Init,
	tabwriter.NewWriter,
	utf16.Encode,
}

// values holds values of many types: their exported methods are linked
// in too (see MethodByName in main).
var values = []interface{}{
	&tar.Reader{},
	&zip.Writer{},
	&flate.Writer{},
	&gzip.Reader{},
	&ecdsa.PrivateKey{},
	&rsa.PrivateKey{},
	&tls.Config{},
	&tls.Conn{},
	&x509.Certificate{},
	&x509.CertPool{},
	&sql.DB{},
	&sql.Tx{},
	&sql.Rows{},
	&dwarf.Data{},
	&elf.File{},
	&gosym.Table{},
	&macho.File{},
	&pe.File{},
	&gob.Encoder{},
	&gob.Decoder{},
	&json.Decoder{},
	&json.Encoder{},
	&xml.Decoder{},
	&xml.Encoder{},
	&expvar.Map{},
	&ast.File{},
	&build.Context{},
	&doc.Package{},
	&printer.Config{},
	&types.Checker{},
	&types.Info{},
	&types.Scope{},
	&types.Package{},
	&types.Named{},
	&types.Struct{},
	&htmltemplate.Template{},
	&template.Template{},
	&image.RGBA{},
	&image.NRGBA{},
	&image.YCbCr{},
	&image.Paletted{},
	&gif.GIF{},
	&png.Encoder{},
	&big.Int{},
	&big.Float{},
	&big.Rat{},
	&multipart.Reader{},
	&multipart.Writer{},
	&http.Server{},
	&http.Client{},
	&http.Transport{},
	&http.Request{},
	&http.ServeMux{},
	&cookiejar.Jar{},
	&httptest.Server{},
	&httptest.ResponseRecorder{},
	&httputil.ReverseProxy{},
	&mail.Message{},
	&rpc.Server{},
	&rpc.Client{},
	&smtp.Client{},
	&textproto.Reader{},
	&textproto.Conn{},
	&exec.Cmd{},
	&regexp.Regexp{},
	&rpprof.Profile{},
	&list.List{},
	&ring.Ring{},
	&pkix.Name{},
	&comment.Parser{},
	&comment.Printer{},
	&scanner.Scanner{},
	&log.Logger{},
	&syslog.Writer{},
	&suffixarray.Index{},
	&url.URL{},
	&user.User{},
	&testing.T{},
	&testing.B{},
	&fstest.MapFS{},
	&textscanner.Scanner{},
	&tabwriter.Writer{},
	&token.FileSet{},
	&bytes.Buffer{},
	&elf.Prog{},
	&dwarf.Reader{},
	&netip.Prefix{},
}

// messages holds a value of each generated message type (messages.go, when
// it is built in).
var messages []interface{}

// Live data for the dump: a parsed Go file, a template, a request, a map.
var (
	file     *ast.File
	fset     *token.FileSet
	page     *htmltemplate.Template
	request  *http.Request
	registry = map[string]interface{}{}
)

const source = `package p

import "fmt"

type T struct{ A, B int; C []string; D map[string]*T }

func (t *T) String() string { return fmt.Sprint(t.A, t.B, len(t.C)) }

func F(n int) []*T {
	out := make([]*T, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, &T{A: i, C: []string{"x", "y"}})
	}
	return out
}
`

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: bigbin DUMP")
		os.Exit(2)
	}
	// Reach every exported method of every reachable type through a name
	// the linker cannot know.
	if name := os.Getenv("BIGBIN_METHOD"); name != "" {
		for _, v := range append(values, messages...) {
			reflect.ValueOf(v).MethodByName(name)
		}
	}
	var err error
	fset = token.NewFileSet()
	if file, err = parser.ParseFile(fset, "p.go", source, parser.ParseComments); err != nil {
		fmt.Fprintln(os.Stderr, "bigbin:", err)
		os.Exit(1)
	}
	page = htmltemplate.Must(htmltemplate.New("page").Parse(`<p>{{.}}</p>`))
	request = httptest.NewRequest("GET", "http://example.com/a?b=c", bytes.NewReader([]byte("body")))
	for i := 0; i < 100; i++ {
		registry[fmt.Sprint("key", i)] = &struct {
			Name string
			When time.Time
		}{fmt.Sprint("value", i), time.Unix(int64(i), 0)}
	}
	runtime.GC()
	f, err := os.Create(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bigbin:", err)
		os.Exit(1)
	}
	debug.WriteHeapDump(f.Fd())
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "bigbin:", err)
		os.Exit(1)
	}
	runtime.KeepAlive(keep)
	runtime.KeepAlive(values)
	runtime.KeepAlive(messages)
}
