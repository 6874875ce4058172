package demo

import (
	"context"
	"fmt"

	"ohcs/shared/knowledge"
)

type article struct {
	lang, title, summary, body string
	tags                       []string
	codes                      []knowledge.Code
}

var (
	malaria      = []knowledge.Code{{System: "icd10", Code: "B54"}}
	diarrhoea    = []knowledge.Code{{System: "icd10", Code: "A09"}}
	hypertension = []knowledge.Code{{System: "icd10", Code: "I10"}}
	diabetes     = []knowledge.Code{{System: "icd10", Code: "E11"}}
	pregnancy    = []knowledge.Code{{System: "icd10", Code: "Z34"}}
)

// articles are short notes on essential care, written for the demo.
var articles = []article{
	{"en", "Why vaccines protect the whole community", "Routine immunisation prevents measles, polio and whooping cough.",
		"Every child should receive the vaccines of the national schedule. When most people are immunised, diseases cannot spread, which also protects newborns and the sick. Keep the vaccination card safe and bring it to every visit.", []string{"vaccination", "children"}, nil},
	{"pt", "Vacinação das crianças: o calendário", "As vacinas de rotina protegem contra sarampo, poliomielite e tosse convulsa.",
		"Cada criança deve receber as vacinas do calendário nacional. Guarde o cartão de vacinação e leve-o a todas as consultas. A vacinação protege também os recém-nascidos e os doentes da comunidade.", []string{"vacinação", "crianças"}, nil},
	{"fr", "La vaccination des enfants", "Les vaccins de routine protègent contre la rougeole, la polio et la coqueluche.",
		"Chaque enfant doit recevoir les vaccins du calendrier national. Conservez le carnet de vaccination et apportez-le à chaque consultation.", []string{"vaccination", "enfants"}, nil},
	{"es", "Vacunación infantil: el calendario", "Las vacunas de rutina protegen contra el sarampión, la polio y la tos ferina.",
		"Cada niño debe recibir las vacunas del calendario nacional. Guarde la tarjeta de vacunación y llévela a cada consulta.", []string{"vacunación", "niños"}, nil},
	{"en", "Malaria: sleep under a treated net", "Insecticide-treated nets and early testing save lives.",
		"Sleep under an insecticide-treated bed net every night, especially children under five and pregnant women. Fever in a malaria area needs a rapid diagnostic test the same day.", []string{"malaria", "prevention"}, malaria},
	{"pt", "Malária: durma sob uma rede mosquiteira", "Redes tratadas com insecticida e o teste rápido salvam vidas.",
		"Durma todas as noites sob uma rede mosquiteira tratada, sobretudo as crianças e as grávidas. A febre numa zona de malária precisa de um teste rápido no mesmo dia.", []string{"malária", "prevenção"}, malaria},
	{"fr", "Paludisme : dormir sous une moustiquaire", "Les moustiquaires imprégnées et le test rapide sauvent des vies.",
		"Dormez chaque nuit sous une moustiquaire imprégnée. Toute fièvre en zone de paludisme demande un test de diagnostic rapide le jour même.", []string{"paludisme", "prévention"}, malaria},
	{"es", "Malaria: dormir bajo un mosquitero", "Los mosquiteros tratados y la prueba rápida salvan vidas.",
		"Duerma cada noche bajo un mosquitero tratado con insecticida. La fiebre en zona de malaria necesita una prueba rápida el mismo día.", []string{"malaria", "prevención"}, malaria},
	{"en", "Diarrhoea: oral rehydration and zinc", "Oral rehydration salts and zinc treat most diarrhoea in children.",
		"Give oral rehydration solution after every loose stool and zinc for ten days. Keep breastfeeding. Seek care at once for blood in the stool, no urine or a very sleepy child.", []string{"diarrhoea", "children", "rehydration"}, diarrhoea},
	{"pt", "Diarreia: reidratação oral e zinco", "Os sais de reidratação oral e o zinco tratam a maioria das diarreias.",
		"Dê solução de reidratação oral depois de cada dejecção líquida e zinco durante dez dias. Continue a amamentar. Procure ajuda se houver sangue nas fezes.", []string{"diarreia", "reidratação"}, diarrhoea},
	{"fr", "Diarrhée : réhydratation orale et zinc", "Les sels de réhydratation orale et le zinc traitent la plupart des diarrhées.",
		"Donnez la solution de réhydratation orale après chaque selle liquide et du zinc pendant dix jours. Continuez l'allaitement.", []string{"diarrhée", "réhydratation"}, diarrhoea},
	{"es", "Diarrea: rehidratación oral y zinc", "Las sales de rehidratación oral y el zinc tratan la mayoría de las diarreas.",
		"Dé solución de rehidratación oral después de cada deposición líquida y zinc durante diez días. Siga amamantando.", []string{"diarrea", "rehidratación"}, diarrhoea},
	{"en", "Living with high blood pressure", "Measure, reduce salt, move and take medicines every day.",
		"Hypertension rarely causes symptoms but damages the heart, kidneys and brain. Measure your blood pressure regularly, eat less salt, walk thirty minutes a day and never stop your medicines without advice.", []string{"hypertension", "heart"}, hypertension},
	{"pt", "Viver com tensão arterial alta", "Medir, reduzir o sal, mexer-se e tomar a medicação todos os dias.",
		"A hipertensão raramente dá sintomas mas lesa o coração, os rins e o cérebro. Meça a tensão com regularidade, coma menos sal e não pare a medicação sem conselho.", []string{"hipertensão", "coração"}, hypertension},
	{"fr", "Vivre avec l'hypertension", "Mesurer, réduire le sel, bouger et prendre son traitement chaque jour.",
		"L'hypertension donne rarement des symptômes mais abîme le cœur et les reins. Mesurez votre tension, mangez moins salé et n'arrêtez pas le traitement sans avis.", []string{"hypertension", "cœur"}, hypertension},
	{"es", "Vivir con la presión arterial alta", "Medir, reducir la sal, moverse y tomar la medicación cada día.",
		"La hipertensión rara vez da síntomas pero daña el corazón y los riñones. Mida su presión, coma menos sal y no deje la medicación sin consejo.", []string{"hipertensión", "corazón"}, hypertension},
	{"en", "Type 2 diabetes: everyday care", "Food, activity, medicines and foot checks keep diabetes under control.",
		"Eat regular meals with vegetables and whole grains, walk every day, take your medicines and check your feet for wounds. Ask for a blood sugar test at every visit.", []string{"diabetes"}, diabetes},
	{"pt", "Diabetes tipo 2: cuidados diários", "Alimentação, actividade, medicação e cuidado com os pés.",
		"Faça refeições regulares com legumes, caminhe todos os dias, tome a medicação e observe os pés à procura de feridas.", []string{"diabetes"}, diabetes},
	{"fr", "Diabète de type 2 : les soins de chaque jour", "Alimentation, activité, traitement et soin des pieds.",
		"Prenez des repas réguliers avec des légumes, marchez chaque jour, prenez votre traitement et examinez vos pieds.", []string{"diabète"}, diabetes},
	{"es", "Diabetes tipo 2: cuidados diarios", "Alimentación, actividad, medicación y cuidado de los pies.",
		"Coma a horas regulares con verduras, camine cada día, tome su medicación y revise sus pies.", []string{"diabetes"}, diabetes},
	{"en", "Antenatal care: four visits or more", "Early and regular antenatal visits make pregnancy and birth safer.",
		"Start antenatal care in the first three months. Visits check blood pressure, anaemia, HIV and syphilis, and give iron and folic acid. Plan to give birth with a skilled attendant.", []string{"pregnancy", "maternal care"}, pregnancy},
	{"pt", "Consultas pré-natais", "Consultas cedo e regulares tornam a gravidez e o parto mais seguros.",
		"Comece as consultas pré-natais nos primeiros três meses. Planeie o parto numa unidade de saúde com pessoal qualificado.", []string{"gravidez", "saúde materna"}, pregnancy},
	{"fr", "Les consultations prénatales", "Des consultations précoces et régulières rendent la grossesse plus sûre.",
		"Commencez le suivi prénatal dans les trois premiers mois et prévoyez d'accoucher avec un personnel qualifié.", []string{"grossesse", "santé maternelle"}, pregnancy},
	{"es", "Control prenatal", "Los controles tempranos y regulares hacen el embarazo más seguro.",
		"Empiece el control prenatal en los tres primeros meses y planee el parto con personal calificado.", []string{"embarazo", "salud materna"}, pregnancy},
	{"en", "Clinical note: danger signs in the sick child", "For practitioners: signs that need urgent referral.",
		"Refer at once a child who cannot drink, vomits everything, has convulsions or is lethargic. Give the first dose of treatment before referral.", []string{"children", "referral"}, nil},
}

// SeedArticles publishes the demo articles as the demo practitioner.
func SeedArticles(ctx context.Context, svc *knowledge.Service, authorID, authorSub string) error {
	for i, a := range articles {
		audience := "public"
		if i == len(articles)-1 {
			audience = "practitioners"
		}
		if _, err := svc.Share(ctx, authorID, authorSub, knowledge.Article{Title: a.title, Summary: a.summary, Body: a.body,
			Language: a.lang, Tags: a.tags, ConditionCodes: a.codes, Audience: audience}); err != nil {
			return fmt.Errorf("seed article %d: %w", i+1, err)
		}
	}
	return nil
}
