package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/IvMisticos/kube-credential-cache/internal/awserr"
	"github.com/IvMisticos/kube-credential-cache/internal/buildinfo"
	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/internal/versioncheck"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/eks"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/history"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/rancher"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/secrets"
)

const name = contract.ConnectCommand

// app is what every command shares: the process's streams, the global
// flags, and the hooks the commands use instead of globals. It is also the
// flags' defaults (Apply, defaults.go) and the history's recorder (Record,
// history.go).
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	log            *slog.Logger
	now            func() time.Time
	getenv         func(string) string

	// Global flags.
	verbose        int
	logFile        string
	noVersionCheck bool
	requestTimeout time.Duration
	maxRetries     int
	configFile     string
	historyFile    string
	historyLimit   int
	versionURL     string

	// providerName is --provider; chosen is the provider of the running
	// command (chooseProvider), whose oidc flags are oidc.
	providerName string
	chosen       string
	oidc         oidcFlags
	gke          gkeFlags
	saml         samlFlags
	login        loginFlags
	rancher      rancherFlags
	// secrets is kcc's store (rancher tokens), opened when first needed.
	secrets *secrets.Store
	// rancherP is the rancher provider, made once: its login and the
	// tokens of --plaintext-token last the command.
	rancherP *rancher.Provider
	aks      aksFlags

	// newProvider is the AWS client factory: the EKS provider with the
	// global flags applied.
	newProvider func(eks.Options) connect.Provider
	// httpClient fetches `config import` URLs and the version feed (TLS
	// verified); tests put in one that trusts their server.
	httpClient *http.Client
	// terminal says whether a stream is a terminal; tests stub it.
	terminal func(any) bool

	// notice carries the new-version line, if any, from the check started
	// before the command to the end of the command (notice.go).
	notice chan string

	closers []io.Closer
}

// run is main without the process: it returns the exit code, so tests call
// it in-process. Errors are printed once, as "kcc-connect: ...".
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return newApp(stdin, stdout, stderr).execute(ctx, args)
}

// newApp is the app with the process's defaults; tests change its hooks
// (httpClient, terminal, now) before execute.
func newApp(stdin io.Reader, stdout, stderr io.Writer) *app {
	return &app{
		stdin:  stdin,
		stdout: stdout,
		stderr: stderr,
		log:    slog.New(slog.DiscardHandler),
		now:    time.Now,
		getenv: os.Getenv,
		newProvider: func(o eks.Options) connect.Provider {
			return eks.New(o)
		},
		httpClient: &http.Client{Timeout: 30 * time.Second},
		terminal:   isTerminal,
	}
}

func (a *app) execute(ctx context.Context, args []string) int {
	defer a.close()
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return cli.ExitOK
	}
	cli.PrintError(a.stderr, name, oneLine(err))
	if errors.Is(err, eks.ErrUnknownProfile) {
		return cli.ExitUsage
	}
	return cli.ExitCode(err)
}

// newRootCmd is the whole command tree: the global flags, the hooks around
// every command (flag defaults, log, new-version notice) and the commands.

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   name,
		Short: "Discover your clusters (EKS, or an OIDC cluster list) and write cached kubeconfig entries for them",
		Long: "kcc-connect finds the EKS clusters your AWS profiles can see, in every region\n" +
			"you ask for, or the clusters of a team's OIDC cluster list (--provider oidc),\n" +
			"and writes kubeconfig entries whose users get their tokens through kcc-cache\n" +
			"and kcc-eks or kcc-oidc. The rest of the kubeconfig is left byte for byte.\n\n" +
			providerHelp,
		Version:       buildinfo.Line(name, version, commit, date),
		SilenceErrors: true,
		SilenceUsage:  true,
		// Runnable, so that an unknown command is a usage error (exit 2)
		// rather than cobra's plain error.
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				hint := ""
				if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
					hint = fmt.Sprintf(" (did you mean %q?)", s[0])
				}
				return cli.Usagef("unknown command %q%s (see kcc-connect --help)", args[0], hint)
			}
			return cmd.Help()
		},
		// Flag defaults first, so that --no-version-check from the config
		// file counts; the notice is printed when the command is done.
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.Apply(cmd); err != nil {
				return &cli.UsageError{Err: err}
			}
			if err := a.setupLog(); err != nil {
				return err
			}
			a.startNotice(cmd)
			return nil
		},
		PersistentPostRunE: func(*cobra.Command, []string) error {
			a.finishNotice()
			return nil
		},
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return cli.Usagef("%v (see %s --help)", err, cmd.CommandPath())
	})
	f := root.PersistentFlags()
	f.CountVarP(&a.verbose, "verbose", "v", "log more on stderr (-v info, -vv debug)")
	f.StringVar(&a.logFile, "log-file", "", "write the log to this `file` instead of stderr")
	f.BoolVar(&a.noVersionCheck, "no-version-check", false, "do not look for a newer release")
	f.DurationVar(&a.requestTimeout, "request-timeout", 10*time.Second, "bound on each AWS request (0: the SDK's default)")
	f.IntVar(&a.maxRetries, "max-retries", -1, "retries per AWS request (-1: the SDK's default, or AWS_MAX_ATTEMPTS)")
	f.StringVar(&a.configFile, "config", "", "defaults `file` (default: kube-credential-cache/connect/config.yaml in the user's config directory; also $KCC_CONNECT_CONFIG)")
	f.StringVar(&a.historyFile, "history-file", "", "history `file` (default: kube-credential-cache/connect/history.yaml in the user's config directory)")
	f.IntVar(&a.historyLimit, "history-limit", history.DefaultLimit, "entries the history keeps")
	f.StringVar(&a.versionURL, "version-check-url", versioncheck.DefaultURL, "release feed the new-version notice asks")
	_ = f.MarkHidden("version-check-url")

	root.AddCommand(newDiscoverCmd(a), newUseCmd(a), newHistoryCmd(a), newToCmd(a), newAliasCmd(a), newConfigCmd(a), newVersionCmd(a), newCredentialsCmd(a))
	root.AddCommand(newDiscoverCmd(a), newUseCmd(a), newHistoryCmd(a), newToCmd(a), newAliasCmd(a), newConfigCmd(a), newVersionCmd(a), newTokenCmd(a), newLogoutCmd(a))
	return root
}

// setupLog sends slog records to stderr, or to --log-file, at the level -v
// asks for. Records never carry a secret: the AWS SDK's own logging, which
// could print signed requests, stays off.
func (a *app) setupLog() error {
	level := slog.LevelWarn
	switch {
	case a.verbose >= 2:
		level = slog.LevelDebug
	case a.verbose == 1:
		level = slog.LevelInfo
	}
	w := a.stderr
	if a.logFile != "" {
		f, err := os.OpenFile(a.logFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return cli.Usagef("--log-file: %v", err)
		}
		a.closers = append(a.closers, f)
		w = f
	}
	a.log = slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
	return nil
}

func (a *app) close() {
	for _, c := range a.closers {
		c.Close()
	}
}

// appVersion is the version in the User-Agent: AWS allows only a short
// token there, so a dev build says "dev".
func appVersion() string {
	v := strings.TrimPrefix(version, "v")
	if v == "" {
		return "dev"
	}
	return v
}

// isTerminal reports whether f is a terminal (not a pipe, file or buffer).
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

// oneLine keeps an error on one line, as a wrapped SDK error may span
// more, with the SDK's errors made readable and credential_process output
// left out (internal/awserr).
func oneLine(err error) string {
	return awserr.Message(err)
}
