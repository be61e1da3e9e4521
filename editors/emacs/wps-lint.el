;;; wps-lint.el --- wps-lint language server for Bicep and ARM templates, through eglot  -*- lexical-binding: t -*-

;; Starts `wps-lint lsp' with eglot for Bicep buffers and for JSON buffers that are Azure
;; deployment templates or parameter files.  Server settings go in
;; `eglot-workspace-configuration' under `:wps-lint'.

;;; Code:

(require 'eglot)
(require 'project)

(defgroup wps-lint nil
  "The wps-lint language server."
  :group 'tools)

(defcustom wps-lint-program "wps-lint"
  "The wps-lint binary: a name on PATH or a full path."
  :type 'string)

(defconst wps-lint--modes '(js-json-mode json-mode json-ts-mode wps-lint-json-mode)
  "Major modes of JSON buffers.")

;; Emacs 28 opens .json in js-mode; a mode of our own keeps eglot from mixing the server up
;; with a JavaScript one there.
(unless (fboundp 'js-json-mode)
  (define-derived-mode wps-lint-json-mode js-mode "JSON"
    "JSON, for ARM deployment templates.")
  (add-to-list 'auto-mode-alist '("\\.jsonc?\\'" . wps-lint-json-mode)))

(defconst wps-lint--bicep-modes '(bicep-ts-mode bicep-mode wps-lint-bicep-mode)
  "Major modes of Bicep buffers.")

;; Where no Bicep mode is installed, a plain one of our own gives `.bicep' and `.bicepparam'
;; files comments and strings, and a mode to start the server in.
(unless (or (fboundp 'bicep-ts-mode) (fboundp 'bicep-mode))
  (defvar wps-lint-bicep-mode-syntax-table
    (let ((table (make-syntax-table)))
      (modify-syntax-entry ?' "\"" table)
      (modify-syntax-entry ?\" "." table)
      (modify-syntax-entry ?/ ". 124b" table)
      (modify-syntax-entry ?* ". 23" table)
      (modify-syntax-entry ?\n "> b" table)
      table)
    "Syntax table of `wps-lint-bicep-mode'.")
  (define-derived-mode wps-lint-bicep-mode prog-mode "Bicep"
    "Bicep files, for wps-lint, where no Bicep mode is installed."
    (setq-local comment-start "// ")
    (setq-local comment-end ""))
  (add-to-list 'auto-mode-alist '("\\.bicep\\(param\\)?\\'" . wps-lint-bicep-mode)))

;; One entry, so that one server takes a project's Bicep and JSON buffers: an approval in one
;; language answers a link in the other.
(add-to-list 'eglot-server-programs
             `((,@wps-lint--modes
                ,@(mapcar (lambda (mode) (list mode :language-id "bicep")) wps-lint--bicep-modes))
               . ,(lambda (&rest _) (list wps-lint-program "lsp"))))

(defun wps-lint-deployment-file-p ()
  "Whether the buffer is a Bicep file or names a deployment template or parameters `$schema'."
  (or (and buffer-file-name (string-match-p "\\.bicep\\(param\\)?\\'" buffer-file-name))
      (save-excursion
        (goto-char (point-min))
        (let ((case-fold-search t))
          (re-search-forward
           "\"\\$schema\"[ \t\n]*:[ \t\n]*\"[^\"]*deployment\\(template\\|parameters\\)\\.json"
           nil t)))))

(defun wps-lint-project-root (dir)
  "The folder with the nearest wps-lint.toml above DIR, as a project for eglot."
  (let ((root (locate-dominating-file dir "wps-lint.toml")))
    (and root (cons 'transient (expand-file-name root)))))

(add-hook 'project-find-functions #'wps-lint-project-root)

(defun wps-lint-maybe-start ()
  "Start eglot in a Bicep buffer, or a JSON buffer that is a deployment template or parameter file."
  (when (and buffer-file-name (wps-lint-deployment-file-p))
    (eglot-ensure)))

(dolist (mode (append wps-lint--modes wps-lint--bicep-modes))
  (add-hook (intern (format "%s-hook" mode)) #'wps-lint-maybe-start))

(provide 'wps-lint)
;;; wps-lint.el ends here
