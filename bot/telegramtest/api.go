package telegramtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// apiError is a failed Bot API answer; it carries what Telegram puts in the
// body so clients see the real error codes and retry_after.
type apiError struct {
	Code        int
	Description string
	RetryAfter  int
}

var errNotFound = &apiError{Code: http.StatusNotFound, Description: "Not Found"}

// badRequest builds the 400 Telegram answers for invalid parameters.
func badRequest(desc string) *apiError {
	return &apiError{Code: http.StatusBadRequest, Description: "Bad Request: " + desc}
}

// tooManyRequests builds a 429 with retry_after, at least one second.
func tooManyRequests(retryAfter int) *apiError {
	retryAfter = max(retryAfter, 1)
	return &apiError{
		Code:        http.StatusTooManyRequests,
		Description: "Too Many Requests: retry after " + strconv.Itoa(retryAfter),
		RetryAfter:  retryAfter,
	}
}

// errorBody is the JSON of a failed answer.
type errorBody struct {
	OK          bool       `json:"ok"`
	ErrorCode   int        `json:"error_code"`
	Description string     `json:"description"`
	Parameters  *errParams `json:"parameters,omitempty"`
}

type errParams struct {
	RetryAfter int `json:"retry_after,omitempty"`
}

func writeError(w http.ResponseWriter, e *apiError) {
	body := errorBody{ErrorCode: e.Code, Description: e.Description}
	if e.RetryAfter > 0 {
		body.Parameters = &errParams{RetryAfter: e.RetryAfter}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Code)
	_ = json.NewEncoder(w).Encode(body)
}

func writeResult(w http.ResponseWriter, result any) {
	var buf bytes.Buffer
	buf.WriteString(`{"ok":true,"result":`)
	if raw, ok := result.(json.RawMessage); ok {
		buf.Write(raw)
	} else if err := json.NewEncoder(&buf).Encode(result); err != nil {
		writeError(w, &apiError{Code: http.StatusInternalServerError, Description: "Internal Server Error: " + err.Error()})
		return
	}
	buf.WriteString("}")
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(buf.Bytes())
}

// UploadedFile is a file sent in a multipart request.
type UploadedFile struct {
	Field string // form field, e.g. "document"
	Name  string // file name given by the client
	Data  []byte
}

// request is one decoded API call: every parameter as its string form
// (JSON objects stay JSON text, as in a multipart form), plus uploads.
type request struct {
	method string
	params map[string]string
	files  []UploadedFile
}

func (r *request) file(field string) *UploadedFile {
	for i := range r.files {
		if r.files[i].Field == field {
			return &r.files[i]
		}
	}
	return nil
}

// parseRequest accepts what Telegram accepts: query string, url-encoded,
// JSON and multipart bodies.
func parseRequest(r *http.Request) (*request, *apiError) {
	req := &request{params: map[string]string{}}
	for k, v := range r.URL.Query() {
		req.params[k] = v[0]
	}
	ct, ctParams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var m map[string]json.RawMessage
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, badRequest("can't read request body")
		}
		if len(bytes.TrimSpace(body)) == 0 {
			return req, nil
		}
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, badRequest("can't parse JSON encoded request: " + err.Error())
		}
		for k, v := range m {
			var s string
			if json.Unmarshal(v, &s) == nil {
				req.params[k] = s
			} else if string(v) != "null" {
				req.params[k] = string(v)
			}
		}
	case "multipart/form-data":
		mr := multipart.NewReader(r.Body, ctParams["boundary"])
		for {
			p, err := mr.NextPart()
			if errors.Is(err, io.EOF) || (err != nil && len(req.params) == 0 && len(req.files) == 0) {
				break // the go-telegram client sends an empty body for nil params
			}
			if err != nil {
				return nil, badRequest("can't parse multipart request: " + err.Error())
			}
			data, err := io.ReadAll(p)
			if err != nil {
				return nil, badRequest("can't read multipart request: " + err.Error())
			}
			if p.FileName() != "" {
				req.files = append(req.files, UploadedFile{Field: p.FormName(), Name: p.FileName(), Data: data})
				continue
			}
			req.params[p.FormName()] = string(data)
		}
	case "application/x-www-form-urlencoded":
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, badRequest("can't read request body")
		}
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, badRequest("can't parse url-encoded request")
		}
		for k, v := range vals {
			req.params[k] = v[0]
		}
	}
	return req, nil
}

// intParam reads an optional integer parameter.
func (r *request) intParam(name string) (int64, bool, *apiError) {
	v, ok := r.params[name]
	if !ok || v == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return 0, false, badRequest("invalid " + name + " specified")
	}
	return n, true, nil
}

// boolParam reads an optional boolean parameter.
func (r *request) boolParam(name string) bool {
	b, _ := strconv.ParseBool(r.params[name])
	return b
}

// handler answers one method with a JSON-encodable result or an error.
type handler func(s *Server, hr *http.Request, r *request) (any, *apiError)

// methods maps lower-cased method names (Telegram ignores case) to the
// canonical name and its handler.
var methods = map[string]struct {
	name string
	h    handler
}{}

func register(name string, h handler) {
	methods[strings.ToLower(name)] = struct {
		name string
		h    handler
	}{name, h}
}

func init() {
	register("getMe", (*Server).getMe)
	register("getUpdates", (*Server).getUpdates)
	register("setWebhook", (*Server).setWebhook)
	register("deleteWebhook", (*Server).deleteWebhook)
	register("getWebhookInfo", (*Server).getWebhookInfo)
	register("sendMessage", (*Server).sendMessage)
	register("editMessageText", (*Server).editMessageText)
	register("editMessageReplyMarkup", (*Server).editMessageReplyMarkup)
	register("sendDocument", (*Server).sendDocument)
	register("answerCallbackQuery", (*Server).answerCallbackQuery)
	register("getFile", (*Server).getFile)
	register("setMyCommands", (*Server).setMyCommands)
	register("deleteMyCommands", (*Server).deleteMyCommands)
	register("getMyCommands", (*Server).getMyCommands)
}

// lookup finds a method's handler; unknown methods keep their own name.
func lookup(method string) (handler, string) {
	m, ok := methods[strings.ToLower(method)]
	if !ok {
		return nil, method
	}
	return m.h, m.name
}
