// A OneSignal app, its server key and a segment, declared in Go with the SDK generated from the provider plugin's
// schema (sdk/go). An Automation API inline program: it runs with the Pulumi CLI alone (no Go language host needed)
// and drives the provider plugin pulumi-resource-onesignal, which must be on PATH.
//
//	go run . preview | up | destroy | outputs
//
// Settings come from the environment: ONESIGNAL_API_URL (an emulator's address, or OneSignal's by default),
// ONESIGNAL_ORGANIZATION_API_KEY (kept as a secret in the stack), PULUMI_BACKEND_URL and PULUMI_CONFIG_PASSPHRASE
// for the state, PULUMI_WORK_DIR for the stack's settings file (default .work here), ONESIGNAL_STACK (default dev),
// and the program's own: APP_NAME (default go-shop), KEY_ROTATION (change it to rotate the key), LOOKUP=1 to read
// the app back with the LookupApp function and name a segment from it, IMPORT_SEGMENT=<appId>/<segmentId> to adopt
// a segment "VIPs" made outside the stack. Each command prints one JSON line: the changes and the outputs (secret
// ones masked).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/pulumi-onesignal/pulumi-onesignal/sdk/go/onesignal"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

const project = "onesignal-go"

func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	app, err := onesignal.NewApp(ctx, "app", &onesignal.AppArgs{
		Name:            pulumi.String(cfg.Get("appName")),
		SiteName:        pulumi.String("Go Shop"),
		ChromeWebOrigin: pulumi.String("https://example.com"),
	})
	if err != nil {
		return err
	}
	key, err := onesignal.NewApiKey(ctx, "server", &onesignal.ApiKeyArgs{
		AppId:    app.ID().ToStringOutput(),
		Name:     pulumi.String("server"),
		Rotation: pulumi.String(cfg.Get("keyRotation")),
	})
	if err != nil {
		return err
	}
	ctx.Export("appId", app.ID())
	ctx.Export("apiKey", key.Token)
	if cfg.GetBool("lookup") {
		// A function's result feeds a resource: the app as OneSignal shows it names the segment.
		shown := onesignal.LookupAppOutput(ctx, onesignal.LookupAppOutputArgs{AppId: app.ID().ToStringOutput()})
		testers, err := onesignal.NewSegment(ctx, "testers", &onesignal.SegmentArgs{
			AppId:  app.ID().ToStringOutput(),
			ApiKey: key.Token,
			Name:   shown.Name().ApplyT(func(name string) string { return name + " testers" }).(pulumi.StringOutput),
			Filters: onesignal.SegmentFilterArray{onesignal.SegmentFilterArgs{
				Field: pulumi.String("tag"), Key: pulumi.String("tester"), Relation: pulumi.String("="),
				Value: pulumi.String("yes"),
			}},
		})
		if err != nil {
			return err
		}
		ctx.Export("segmentId", testers.ID())
	}
	if adopted := cfg.Get("importSegment"); adopted != "" {
		// A segment made in OneSignal's dashboard, adopted by the `import` option ("<appId>/<segmentId>"): declared
		// as it is, it is read, not made. Reading and deleting it takes the app's key (ONESIGNAL_APP_API_KEY).
		vips, err := onesignal.NewSegment(ctx, "vips", &onesignal.SegmentArgs{
			AppId: pulumi.String(strings.Split(adopted, "/")[0]),
			Name:  pulumi.String("VIPs"),
			Filters: onesignal.SegmentFilterArray{onesignal.SegmentFilterArgs{
				Field: pulumi.String("sessionCount"), Relation: pulumi.String(">"), Value: pulumi.String("10"),
			}},
		}, pulumi.Import(pulumi.ID(adopted)))
		if err != nil {
			return err
		}
		ctx.Export("adoptedId", vips.ID())
	}
	return nil
}

func env(name, fallback string) string {
	if value, ok := os.LookupEnv(name); ok {
		return value
	}
	return fallback
}

func stack(ctx context.Context) (auto.Stack, error) {
	// The stack's settings file (its secrets' salt among them) is kept between runs.
	workDir := env("PULUMI_WORK_DIR", ".work")
	if err := os.MkdirAll(workDir, 0o755); err != nil {
		return auto.Stack{}, err
	}
	settings := auto.Project(workspace.Project{Name: project, Runtime: workspace.NewProjectRuntimeInfo("go", nil)})
	s, err := auto.UpsertStackInlineSource(ctx, env("ONESIGNAL_STACK", "dev"), project, program, auto.WorkDir(workDir), settings)
	if err != nil {
		return s, err
	}
	values := auto.ConfigMap{
		project + ":appName":       {Value: env("APP_NAME", "go-shop")},
		project + ":keyRotation":   {Value: env("KEY_ROTATION", "1")},
		project + ":lookup":        {Value: fmt.Sprint(os.Getenv("LOOKUP") == "1")},
		project + ":importSegment": {Value: os.Getenv("IMPORT_SEGMENT")},
	}
	if url, ok := os.LookupEnv("ONESIGNAL_API_URL"); ok {
		values["onesignal:apiUrl"] = auto.ConfigValue{Value: url}
	}
	if key, ok := os.LookupEnv("ONESIGNAL_ORGANIZATION_API_KEY"); ok {
		values["onesignal:organizationApiKey"] = auto.ConfigValue{Value: key, Secret: true}
	}
	return s, s.SetAllConfig(ctx, values)
}

type shownOutput struct {
	Value  interface{} `json:"value"`
	Secret bool        `json:"secret"`
}

func shown(outputs auto.OutputMap) map[string]shownOutput {
	out := map[string]shownOutput{}
	for name, output := range outputs {
		value := output.Value
		if output.Secret {
			value = "[secret]"
		}
		out[name] = shownOutput{Value: value, Secret: output.Secret}
	}
	return out
}

func run(command string) (map[string]interface{}, error) {
	ctx := context.Background()
	s, err := stack(ctx)
	if err != nil {
		return nil, err
	}
	switch command {
	case "preview":
		result, err := s.Preview(ctx, optpreview.ProgressStreams(os.Stderr))
		if err != nil {
			return nil, err
		}
		return map[string]interface{}{"changes": result.ChangeSummary}, nil
	case "up":
		result, err := s.Up(ctx, optup.ProgressStreams(os.Stderr))
		if err != nil {
			return nil, err
		}
		return map[string]interface{}{"changes": result.Summary.ResourceChanges, "outputs": shown(result.Outputs)}, nil
	case "destroy":
		result, err := s.Destroy(ctx, optdestroy.ProgressStreams(os.Stderr))
		if err != nil {
			return nil, err
		}
		return map[string]interface{}{"changes": result.Summary.ResourceChanges}, nil
	case "outputs":
		outputs, err := s.Outputs(ctx)
		if err != nil {
			return nil, err
		}
		return map[string]interface{}{"outputs": shown(outputs)}, nil
	}
	return nil, fmt.Errorf("usage: go run . preview | up | destroy | outputs")
}

func main() {
	command := ""
	if len(os.Args) > 1 {
		command = os.Args[1]
	}
	result, err := run(command)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	printed, _ := json.Marshal(result)
	fmt.Println(string(printed))
}
