CREATE TABLE "stored_file_chunks" (
	"kind" text NOT NULL,
	"sha256" text NOT NULL,
	"seq" bigint NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "stored_file_chunks_kind_sha256_seq_pk" PRIMARY KEY("kind","sha256","seq")
);
--> statement-breakpoint
CREATE TABLE "stored_files" (
	"kind" text NOT NULL,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"chunks" bigint NOT NULL,
	CONSTRAINT "stored_files_kind_sha256_pk" PRIMARY KEY("kind","sha256")
);
--> statement-breakpoint
ALTER TABLE "stored_file_chunks" ADD CONSTRAINT "stored_file_chunks_file_fk" FOREIGN KEY ("kind","sha256") REFERENCES "public"."stored_files"("kind","sha256") ON DELETE cascade ON UPDATE no action;