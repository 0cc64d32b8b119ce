package telegramtest

import (
	"fmt"
	"mime"
	"net/http"
	"path"
	"strings"
)

const maxDownloadSize = 20 << 20 // getFile refuses bigger files, like Telegram

// storedFile is a file the fake can serve through getFile and download.
type storedFile struct {
	id, uniqueID, path, name string
	data                     []byte
}

func (f *storedFile) document() *Document {
	return &Document{
		FileID: f.id, FileUniqueID: f.uniqueID, FileName: f.name,
		MimeType: mime.TypeByExtension(path.Ext(f.name)), FileSize: int64(len(f.data)),
	}
}

// AddFile stores a file as if a user had uploaded it and returns its
// file_id, for getFile and download at /file/bot<token>/<file_path>.
func (s *Server) AddFile(name string, data []byte) (fileID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addFileLocked(name, data).id
}

func (s *Server) addFileLocked(name string, data []byte) *storedFile {
	s.nextFile++
	f := &storedFile{
		id:       fmt.Sprintf("BQACAgIAAxkBAAI%06d", s.nextFile),
		uniqueID: fmt.Sprintf("AgAD%06d", s.nextFile),
		path:     fmt.Sprintf("documents/file_%d%s", s.nextFile, path.Ext(name)),
		name:     name,
		data:     append([]byte(nil), data...),
	}
	s.files[f.id] = f
	s.changedLocked()
	return f
}

// File returns the bytes stored under a file_id: one added with AddFile or
// one the bot uploaded with sendDocument.
func (s *Server) File(fileID string) (name string, data []byte, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[fileID]
	if !ok {
		return "", nil, false
	}
	return f.name, append([]byte(nil), f.data...), true
}

func (s *Server) getFile(_ *http.Request, r *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[r.params["file_id"]]
	if !ok {
		return nil, badRequest("invalid file_id")
	}
	if len(f.data) > maxDownloadSize {
		return nil, badRequest("file is too big")
	}
	return File{FileID: f.id, FileUniqueID: f.uniqueID, FileSize: int64(len(f.data)), FilePath: f.path}, nil
}

// serveFile answers downloads; rest is "<token>/<file_path>".
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rest string) {
	if !s.wait(r, "file") {
		return
	}
	token, p, _ := strings.Cut(rest, "/")
	var data []byte
	found := false
	if token == s.Token {
		s.mu.Lock()
		for _, f := range s.files {
			if f.path == p {
				data, found = f.data, true
				break
			}
		}
		s.mu.Unlock()
	}
	if !found {
		writeError(w, errNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(data)
}

func (s *Server) sendDocument(_ *http.Request, r *request) (any, *apiError) {
	chatID, e := s.chatID(r)
	if e != nil {
		return nil, e
	}
	caption, ents, e := renderText(r.params["caption"], r.params["parse_mode"], r.params["caption_entities"])
	if e != nil {
		return nil, e
	}
	if utf16Len(caption) > maxCaptionLen {
		return nil, badRequest("message caption is too long")
	}
	markup, e := parseMarkup(r.params["reply_markup"])
	if e != nil {
		return nil, e
	}
	up := r.file("document")
	ref := r.params["document"]
	if name, ok := strings.CutPrefix(ref, "attach://"); ok {
		up = r.file(name)
	}
	s.mu.Lock()
	var f *storedFile
	switch {
	case up != nil:
		f = s.addFileLocked(up.Name, up.Data)
	case s.files[ref] != nil:
		f = s.files[ref]
	case strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://"):
		f = s.addFileLocked(path.Base(ref), nil)
	case ref == "":
		s.mu.Unlock()
		return nil, badRequest("there is no document in the request")
	default:
		s.mu.Unlock()
		return nil, badRequest("wrong file identifier/HTTP URL specified")
	}
	s.mu.Unlock()
	m := &Message{Document: f.document(), Caption: caption, CaptionEntities: ents, ReplyMarkup: markup}
	return s.deliver("sendDocument", chatID, r, m)
}
