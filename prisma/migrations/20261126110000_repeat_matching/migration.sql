-- Repeat matching (issue 13): each order's normalised match features, and the review queue of possible repeats.

-- CreateTable
CREATE TABLE "OrderMatch" (
    "orderNo" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "district" TEXT NOT NULL,
    "elements" TEXT[],
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "features" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrderMatch_pkey" PRIMARY KEY ("orderNo")
);

-- CreateTable
CREATE TABLE "RepeatSuggestion" (
    "id" SERIAL NOT NULL,
    "orderNo" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "candidateId" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "reasons" TEXT[],
    "features" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),
    "decidedBy" TEXT,
    "decidedRole" TEXT,
    "comment" TEXT,

    CONSTRAINT "RepeatSuggestion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OrderMatch_caseId_idx" ON "OrderMatch"("caseId");

-- CreateIndex
CREATE UNIQUE INDEX "RepeatSuggestion_orderNo_key" ON "RepeatSuggestion"("orderNo");

-- CreateIndex
CREATE INDEX "RepeatSuggestion_status_idx" ON "RepeatSuggestion"("status");

-- CreateIndex
CREATE INDEX "RepeatSuggestion_caseId_idx" ON "RepeatSuggestion"("caseId");

-- CreateIndex
CREATE INDEX "RepeatSuggestion_candidateId_idx" ON "RepeatSuggestion"("candidateId");
