//go:build unix

// Command busfloor is the floor for any credential helper that reads its
// secret over the D-Bus session bus: bench/floor's read and print, plus what
// every bus client must do before its first call — connect, authenticate
// and say Hello, then wait for the bus's answer. A Secret Service hit costs
// this and its calls to the service; bench/hit.sh compares the two.
package main

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

func main() {
	b, err := os.ReadFile(os.Args[1])
	if err != nil {
		os.Exit(1)
	}
	if err := hello(); err != nil {
		os.Stderr.WriteString("busfloor: " + err.Error() + "\n")
		os.Exit(1)
	}
	os.Stdout.Write(b)
}

func hello() error {
	addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	path, ok := strings.CutPrefix(addr, "unix:path=")
	if !ok {
		path = filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), "bus")
	}
	path, _, _ = strings.Cut(path, ",")
	// System calls, not net: kcc-cache does not link net (its init costs).
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	if err := syscall.Connect(fd, &syscall.SockaddrUnix{Name: path}); err != nil {
		return err
	}
	c := sock(fd)
	uid := hex.EncodeToString([]byte(strconv.Itoa(os.Getuid())))
	msg := append([]byte("\x00AUTH EXTERNAL "+uid+"\r\nBEGIN\r\n"), helloMessage()...)
	if _, err := c.Write(msg); err != nil {
		return err
	}
	r := bufio.NewReader(c)
	if _, err := r.ReadString('\n'); err != nil { // OK <guid>
		return err
	}
	// The reply's fixed header; its length says how much more to read.
	head := make([]byte, 16)
	if _, err := readFull(r, head); err != nil {
		return err
	}
	body := binary.LittleEndian.Uint32(head[4:])
	fields := binary.LittleEndian.Uint32(head[12:])
	rest := int(fields+7)&^7 + int(body)
	_, err = readFull(r, make([]byte, rest))
	return err
}

type sock int

func (s sock) Read(b []byte) (int, error)  { return syscall.Read(int(s), b) }
func (s sock) Write(b []byte) (int, error) { return syscall.Write(int(s), b) }

func readFull(r *bufio.Reader, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := r.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// helloMessage is org.freedesktop.DBus.Hello, little-endian, serial 1.
func helloMessage() []byte {
	var f []byte
	field := func(code byte, sig byte, s string) {
		for len(f)%8 != 0 {
			f = append(f, 0)
		}
		f = append(f, code, 1, sig, 0)
		f = binary.LittleEndian.AppendUint32(f, uint32(len(s)))
		f = append(f, s...)
		f = append(f, 0)
	}
	field(1, 'o', "/org/freedesktop/DBus")
	field(2, 's', "org.freedesktop.DBus")
	field(3, 's', "Hello")
	field(6, 's', "org.freedesktop.DBus")
	m := []byte{'l', 1, 0, 1}
	m = binary.LittleEndian.AppendUint32(m, 0) // body length
	m = binary.LittleEndian.AppendUint32(m, 1) // serial
	m = binary.LittleEndian.AppendUint32(m, uint32(len(f)))
	m = append(m, f...)
	for len(m)%8 != 0 {
		m = append(m, 0)
	}
	return m
}
